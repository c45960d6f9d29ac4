//! Dataset import and export: zip layouts, label files, bad input. Each bad file gets a report
//! line and the good part is imported.
#![cfg(feature = "decoders")]

use image::{ImageEncoder, RgbImage, codecs::png::PngEncoder};
use imagelab_core::data::import::{
    Archive, Limits, Outcome, Report, SourceFile, decode_resized, export_zip, parse_labels, plan, prepare_for_storage, stored_size,
};
use imagelab_core::data::library::{DatasetInfo, ImageFormat, MemoryStore, NewImage, Store, to_dataset};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

fn png(w: u32, h: u32, v: u8) -> Vec<u8> {
    let img = RgbImage::from_pixel(w, h, image::Rgb([v, v / 2, 255 - v]));
    let mut out = Vec::new();
    PngEncoder::new(&mut out).write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8).unwrap();
    out
}

fn zip_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        z.start_file(*name, SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// Reads a whole archive the way the page does.
fn unpack(bytes: Vec<u8>, limits: Limits, report: &mut Report) -> Vec<SourceFile> {
    Archive::open(bytes, limits).unwrap().read_all(report)
}

fn skipped<'a>(report: &'a Report, path: &str) -> &'a str {
    match &report.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no line for {path}: {report:?}")).outcome {
        Outcome::Skipped(t) => &t.en,
        Outcome::Imported(_) => panic!("{path} was imported"),
    }
}

#[test]
fn image_folder_zip_gives_one_class_per_folder() {
    let bytes = zip_of(&[
        ("coins/1yen/a.png", png(8, 8, 10)),
        ("coins/1yen/b.png", png(8, 8, 20)),
        ("coins/５００円/c.png", png(8, 8, 30)),
        ("coins/test/q.png", png(8, 8, 40)),
        ("coins/readme.md", b"hello".to_vec()),
        ("coins/notes.txt", b"just some notes".to_vec()),
        ("top.png", png(8, 8, 50)),
        ("__MACOSX/coins/._a.png", b"junk".to_vec()),
        ("../evil.png", png(8, 8, 60)),
        ("coins/1yen/notes.zip", zip_of(&[("x.png", png(2, 2, 1))])),
    ]);
    let mut report = Report::default();
    let files = unpack(bytes, Limits::default(), &mut report);
    let planned = plan(files, None, &mut report);
    let classes: Vec<(String, Option<String>)> = planned.iter().map(|p| (p.name.clone(), p.class.clone())).collect();
    assert_eq!(
        classes,
        vec![
            ("a.png".into(), Some("1yen".into())),
            ("b.png".into(), Some("1yen".into())),
            ("c.png".into(), Some("５００円".into())),
            ("q.png".into(), None),
        ]
    );
    assert!(skipped(&report, "../evil.png").contains("unsafe path"));
    assert!(skipped(&report, "top.png").contains("class folder"));
    assert!(skipped(&report, "coins/readme.md").contains("not an image"));
    assert!(skipped(&report, "coins/notes.txt").contains("neither an image nor a label file"));
    // A zip inside is never opened: it is just not an image.
    assert!(skipped(&report, "coins/1yen/notes.zip").contains("not an image"));
    assert_eq!(report.files.len(), 5, "the __MACOSX junk is skipped quietly: {report:?}");
}

#[test]
fn competition_layout_with_a_shift_jis_label_file() {
    // "file,label" header, Japanese labels, CRLF, written by Excel on a Japanese PC.
    let csv_text = "ファイル名,ラベル\r\na.png,一円\r\nb.png,五円\r\nmissing.png,五円\r\nc,一円\r\nd.png,\r\na.png,五円\r\n";
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(csv_text);
    assert!(!bad);
    let bytes = zip_of(&[
        ("train/a.png", png(8, 8, 1)),
        ("train/b.png", png(8, 8, 2)),
        ("train/c.png", png(8, 8, 3)),
        ("train/stray.png", png(8, 8, 4)),
        ("test/t1.png", png(8, 8, 5)),
        ("test/a.png", png(8, 8, 6)),
        ("labels.csv", sjis.into_owned()),
    ]);
    let mut report = Report::default();
    let files = unpack(bytes, Limits::default(), &mut report);
    let planned = plan(files, None, &mut report);
    let got: Vec<(&str, Option<&str>)> = planned.iter().map(|p| (p.path.as_str(), p.class.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            ("train/a.png", Some("一円")),
            ("train/b.png", Some("五円")),
            ("train/c.png", Some("一円")), // matched without its extension
            ("test/t1.png", None),
            ("test/a.png", None), // in test/: unlabelled, even though a.png is listed
        ]
    );
    assert!(skipped(&report, "train/stray.png").contains("not in the label file"));
    assert!(skipped(&report, "missing.png").contains("no such image"));
    let notes: Vec<&str> = report.notes.iter().map(|t| t.en.as_str()).collect();
    assert!(notes.iter().any(|n| n.contains("Shift_JIS")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("line 6")), "empty label reported: {notes:?}");
    assert!(notes.iter().any(|n| n.contains("line 7") && n.contains("first label")), "{notes:?}");
}

#[test]
fn label_files_in_their_usual_shapes() {
    // UTF-8 with BOM, tab separated, no header.
    let t = parse_labels("\u{feff}x.jpg\tcat\ny.jpg\tdog\n".as_bytes()).unwrap();
    assert_eq!(t.rows, vec![("x.jpg".into(), "cat".into()), ("y.jpg".into(), "dog".into())]);
    assert_eq!(t.encoding, "UTF-8 (BOM)");
    assert!(!t.had_header);
    // Quoted fields with commas; paths reduced to the file name; an English header.
    let t = parse_labels(b"filename,label\n\"dir/a,b.png\",\"big, round\"\n").unwrap();
    assert!(t.had_header);
    assert_eq!(t.rows, vec![("a,b.png".into(), "big, round".into())]);
    // UTF-16 (Excel's "Unicode text").
    let mut utf16 = vec![0xff, 0xfe];
    for u in "a.png\t猫\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let t = parse_labels(&utf16).unwrap();
    assert_eq!(t.rows, vec![("a.png".into(), "猫".into())]);
    // Nothing usable: an error in words, not a panic.
    for bad in [&b""[..], b"\n\n", b"just one column\n", &[0xff, 0xfe, 0xff][..]] {
        let e = parse_labels(bad).unwrap_err();
        assert!(e.message(imagelab_core::Lang::Ja).contains("データセット"), "{e}");
    }
}

#[test]
fn zip_bombs_stop_the_import_and_keep_what_came_before() {
    // One entry inflating past the total cap (zeros compress ~1000:1).
    let limits = Limits { max_files: 100, max_total_bytes: 1 << 20, max_file_bytes: 4 << 20 };
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    z.start_file("a/ok.png", deflate).unwrap();
    z.write_all(&png(4, 4, 1)).unwrap();
    z.start_file("a/bomb.png", deflate).unwrap();
    z.write_all(&vec![0u8; 3 << 20]).unwrap();
    z.start_file("a/after.png", deflate).unwrap();
    z.write_all(&png(4, 4, 2)).unwrap();
    let bytes = z.finish().unwrap().into_inner();
    assert!(bytes.len() < 20_000, "the bomb is small: {}", bytes.len());
    let mut report = Report::default();
    let files = unpack(bytes, limits, &mut report);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].path, "a/ok.png");
    assert!(report.stopped.unwrap().en.contains("zip bomb"));

    // One file over the per-file cap is skipped; the rest goes on.
    let limits = Limits { max_files: 100, max_total_bytes: 64 << 20, max_file_bytes: 1 << 20 };
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    z.start_file("a/huge.png", deflate).unwrap();
    z.write_all(&vec![0u8; 2 << 20]).unwrap();
    z.start_file("a/ok.png", deflate).unwrap();
    z.write_all(&png(4, 4, 1)).unwrap();
    let mut report = Report::default();
    let files = unpack(z.finish().unwrap().into_inner(), limits, &mut report);
    assert_eq!(files.len(), 1);
    assert!(skipped(&report, "a/huge.png").contains("larger than 1 MB"));
    assert!(report.stopped.is_none());

    // Too many entries: refused before anything is read.
    let many: Vec<(String, Vec<u8>)> = (0..11).map(|i| (format!("a/{i}.png"), vec![])).collect();
    let many: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let err = Archive::open(zip_of(&many), Limits { max_files: 10, ..Limits::default() }).err().unwrap();
    assert!(err.to_string().contains("11 entries"));
    // Not a zip at all.
    assert!(Archive::open(b"PK\x03\x04 truncated".to_vec(), Limits::default()).is_err());
    assert!(Archive::open(Vec::new(), Limits::default()).is_err());
}

#[test]
fn photos_are_stored_small_and_bad_images_are_refused() {
    // A big PNG is downscaled to 256 on its longest side and re-encoded as JPEG.
    let s = prepare_for_storage(&png(1000, 500, 100)).unwrap();
    assert_eq!((s.width, s.height, s.format), (256, 128, ImageFormat::Jpeg));
    assert_eq!(stored_size(100, 3000), (9, 256));
    // A small PNG is kept byte for byte.
    let small = png(20, 10, 5);
    assert_eq!(prepare_for_storage(&small).unwrap().bytes, small);
    // Truncated, empty, text named .png, a header claiming 30000×30000.
    let truncated = &small[..small.len() / 2];
    for bad in [truncated, &[][..], b"this is not an image"] {
        assert!(prepare_for_storage(bad).is_err());
    }
    let mut bomb = small[..33].to_vec(); // signature + IHDR
    bomb[16..20].copy_from_slice(&30000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&30000u32.to_be_bytes());
    let e = prepare_for_storage(&bomb).unwrap_err();
    assert!(e.to_string().contains("30000×30000"), "{e}");
    // The network's input: decoded and resized.
    let px = decode_resized(&png(40, 40, 200), 4, 4, 3).unwrap();
    assert_eq!(px.len(), 48);
    assert_eq!(&px[..3], &[200, 100, 55]);
}

#[test]
fn export_then_import_round_trips_classes_and_files() {
    let store = MemoryStore::default();
    let mut d = DatasetInfo::new("ds-1", "硬貨").unwrap();
    let a = d.add_class("1円").unwrap();
    let b = d.add_class("a/b").unwrap(); // not a safe folder name
    let mut added = Vec::new();
    for (i, class) in [Some(a), Some(a), Some(b), None].into_iter().enumerate() {
        let bytes = png(6, 6, i as u8 * 40);
        let id = d
            .add_image(NewImage {
                class,
                name: "same.png".into(),
                width: 6,
                height: 6,
                bytes: bytes.len() as u64,
                format: ImageFormat::Png,
            })
            .unwrap();
        added.push((id, bytes));
    }
    pollster::block_on(store.commit(&d, added, &[])).unwrap();
    let zip = export_zip(&d, |img| pollster::block_on(store.file(&d.id, img.id)).ok()).unwrap();

    let mut report = Report::default();
    let files = unpack(zip, Limits::default(), &mut report);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, vec!["1円/same.png", "1円/same-2.png", "a_b/same.png", "test/same.png"]);
    let planned = plan(files, None, &mut report);
    assert!(report.files.is_empty(), "{report:?}");
    assert_eq!(planned.iter().filter(|p| p.class.as_deref() == Some("1円")).count(), 2);
    assert_eq!(planned.iter().filter(|p| p.class.is_none()).count(), 1);
    // The exported bytes are the stored ones.
    assert_eq!(planned[0].bytes, pollster::block_on(store.file("ds-1", 1)).unwrap());

    // And the dataset trains: stored files decoded to the network's input.
    let ds = to_dataset(&d, 4, 4, 1, |_, img| decode_resized(&pollster::block_on(store.file(&d.id, img.id)).unwrap(), 4, 4, 1).unwrap())
        .unwrap();
    assert_eq!((ds.len(), ds.num_classes()), (3, 2));
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 == 1 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

/// A stored zip whose names are raw bytes without the UTF-8 flag (as Japanese Windows writes).
fn raw_name_zip(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let header = |sig: u32, central_dir: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central_dir {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags: no UTF-8 bit
            h.extend(0u16.to_le_bytes()); // stored
            h.extend([0u8; 4]); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central_dir {
                h.extend([0u8; 6]); // comment length, disk, internal attrs
                h.extend([0u8; 4]); // external attrs
                h.extend(offset.to_le_bytes());
            }
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(*name);
        out.extend(*data);
        central.extend(header(0x0201_4b50, true));
        central.extend(*name);
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend([0u8; 2]);
    out
}

#[test]
fn shift_jis_names_from_japanese_windows_are_read() {
    let (folder, _, _) = encoding_rs::SHIFT_JIS.encode("硬貨/１円玉/写真.png");
    let bytes = raw_name_zip(&[(&folder, &png(4, 4, 1))]);
    let mut report = Report::default();
    let files = unpack(bytes, Limits::default(), &mut report);
    assert!(report.files.is_empty(), "{report:?}");
    assert_eq!(files[0].path, "硬貨/１円玉/写真.png");
    let planned = plan(files, None, &mut report);
    assert_eq!(planned[0].class.as_deref(), Some("１円玉"));
}

#[test]
fn the_label_file_is_the_one_that_names_the_images() {
    let files = vec![
        SourceFile { path: "README.txt".into(), bytes: b"This dataset, collected by us\nsecond, line\n".to_vec() },
        // As many rows as train.csv, but naming the test images: not the label file.
        SourceFile { path: "sample_submission.csv".into(), bytes: b"id,label\nt1.png,0\nt2.png,0\n".to_vec() },
        SourceFile { path: "train.csv".into(), bytes: b"file,label\na.png,cat\nb.png,dog\n".to_vec() },
        SourceFile { path: "train/a.png".into(), bytes: png(4, 4, 1) },
        SourceFile { path: "train/b.png".into(), bytes: png(4, 4, 2) },
        SourceFile { path: "test/t1.png".into(), bytes: png(4, 4, 3) },
        SourceFile { path: "test/t2.png".into(), bytes: png(4, 4, 4) },
    ];
    let mut report = Report::default();
    let planned = plan(files, None, &mut report);
    let got: Vec<(&str, Option<&str>)> = planned.iter().map(|p| (p.path.as_str(), p.class.as_deref())).collect();
    assert_eq!(got, vec![("train/a.png", Some("cat")), ("train/b.png", Some("dog")), ("test/t1.png", None), ("test/t2.png", None)]);
    // The others are reported as not used; t1.png (in test/) is not "missing".
    assert!(skipped(&report, "README.txt").contains("not used"));
    assert!(skipped(&report, "sample_submission.csv").contains("not used"));
    assert!(!report.files.iter().any(|f| f.path == "t1.png"), "{report:?}");
    // Only a README that names nothing: the image-folder layout still works.
    let files = vec![
        SourceFile { path: "README.txt".into(), bytes: b"Photos, by class\n".to_vec() },
        SourceFile { path: "cat/a.png".into(), bytes: png(4, 4, 1) },
    ];
    let mut report = Report::default();
    assert_eq!(plan(files, None, &mut report)[0].class.as_deref(), Some("cat"));
}

#[test]
fn export_names_never_collide() {
    let mut d = DatasetInfo::new("ds", "d").unwrap();
    let test_class = d.add_class("test").unwrap();
    let upper = d.add_class("A").unwrap();
    let lower = d.add_class("a").unwrap();
    let mut files = std::collections::HashMap::new();
    for (class, name) in [
        (Some(upper), "a.png"),
        (Some(upper), "a.png"),
        (Some(upper), "a-2.png"),
        (Some(lower), "x.png"),
        (Some(test_class), "t.png"),
        (None, "u.png"),
    ] {
        let bytes = png(3, 3, 9);
        let id = d
            .add_image(NewImage { class, name: name.into(), width: 3, height: 3, bytes: bytes.len() as u64, format: ImageFormat::Png })
            .unwrap();
        files.insert(id, bytes);
    }
    let zip = export_zip(&d, |img| files.get(&img.id).cloned()).unwrap();
    let mut report = Report::default();
    let got = unpack(zip, Limits::default(), &mut report);
    let paths: Vec<&str> = got.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, vec!["test_class/t.png", "A/a.png", "A/a-2.png", "A/a-2-2.png", "a-2/x.png", "test/u.png"]);
    // Re-imported, the class called "test" stays a class, and the unlabelled image stays unlabelled.
    let planned = plan(got, None, &mut report);
    assert_eq!(planned[0].class.as_deref(), Some("test_class"));
    assert_eq!(planned[5].class, None);
}

#[test]
fn a_path_naming_no_file_is_a_problem_line_not_an_empty_name() {
    // Found by the fuzzer: a Shift_JIS name whose last byte is 0x5C ("\" in ASCII) or a path
    // ending in a separator left an empty file name.
    let t = parse_labels(b"file,label\nphotos/,coin\nphotos\\,coin\na.png,coin\n").unwrap();
    assert_eq!(t.rows, vec![("a.png".to_owned(), "coin".to_owned())]);
    assert_eq!(t.problems.len(), 2, "{:?}", t.problems);
    assert!(t.problems[0].en.starts_with("line 2: needs a file name and a label"));
}

/// How an import takes files chosen or dropped, before reading them (the data lab's rule): a
/// folder's tree keeps its paths, loose images go into the chosen class (or are planned as a
/// zip's top level when none is), a file over the one-file cap is skipped unless it is a zip, and
/// the import stops where the count or the total would pass the caps — with the reason.
#[test]
fn chosen_files_are_taken_by_the_rules_and_caps() {
    use imagelab_core::data::import::{Intake, Limits, intake};
    let limits = Limits { max_files: 4, max_total_bytes: 100 << 20, max_file_bytes: 10 << 20 };
    let mb = |n: u64| n << 20;
    let files = [("coins/1yen/a.jpg", mb(1)), ("b.png", mb(1)), ("big.png", mb(11)), ("set.ZIP", mb(50))];
    let (each, stopped) = intake(&files, true, &limits);
    assert_eq!(stopped, None);
    assert_eq!(each[0], Intake::AtPath, "a folder's tree keeps its path");
    assert_eq!(each[1], Intake::IntoClass, "a loose image goes into the chosen class");
    let Intake::Skip(why) = &each[2] else { panic!("{:?}", each[2]) };
    assert_eq!(why.en, "larger than 10 MB: not imported");
    assert_eq!(each[3], Intake::Zip, "a zip over the one-file cap is unpacked (its entries are capped)");
    // No class chosen: loose files are planned like a zip's top level.
    assert_eq!(intake(&files[1..2], false, &limits).0, [Intake::AtPath]);

    // A fifth file passes the count: the import stops before it, and says so in both languages.
    let five = [("a.png", 1), ("b.png", 1), ("c.png", 1), ("d.png", 1), ("e.png", 1)];
    let (each, stopped) = intake(&five, false, &limits);
    assert_eq!(each.len(), 4);
    let stopped = stopped.expect("stopped");
    assert_eq!(stopped.en, "One import takes at most 4 files and 100 MB; import the rest separately.");
    assert!(stopped.ja.contains("4 ファイル・100 MB"));
    // So does the total: 60 + 50 MB passes 100, and a zip over the total stops it there.
    let (each, stopped) = intake(&[("a.zip", mb(60)), ("b.zip", mb(50))], false, &limits);
    assert_eq!((each, stopped.is_some()), (vec![Intake::Zip], true));
    assert!(intake(&[("huge.zip", mb(101))], false, &limits).0.is_empty());
}
