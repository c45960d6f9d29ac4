//! IndexedDB behind the core's `library::Store` trait: the students' datasets survive reloads and
//! closed tabs.
//!
//! Database `imagelab`, version 1, two object stores:
//! - `datasets`: key = dataset id, value = `Uint8Array` of a version byte + the postcard-encoded
//!   `DatasetInfo`;
//! - `files`: key = `[dataset id, image id]`, value = the image `Blob` as stored (downscaled).
//!
//! - `models` (since version 2): key = model id, value = `Uint8Array` of a version byte + the
//!   postcard-encoded [`SavedModel`] (a model file as the training lab downloads it, plus a label).
//!
//! A commit is one read-write transaction over both stores, so it lands whole or not at all (a
//! full quota aborts it and leaves the earlier data as it was).

use idb::{Database, DatabaseEvent, Factory, KeyRange, ObjectStoreParams, Query, TransactionMode, TransactionResult};
use imagelab_core::data::library::{DatasetInfo, Store, StoreError};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

const DB_NAME: &str = "imagelab";
const DATASETS: &str = "datasets";
const FILES: &str = "files";
const MODELS: &str = "models";
/// The layout version of a stored `DatasetInfo` (the first byte of its record).
const INFO_VERSION: u8 = 1;
/// The layout version of a stored `SavedModel`.
const MODEL_VERSION: u8 = 1;

/// The page's IndexedDB.
pub struct IdbStore {
    db: Database,
}

fn unavailable(e: impl std::fmt::Debug) -> StoreError {
    let detail = format!("{e:?}");
    if detail.contains("QuotaExceeded") { StoreError::QuotaExceeded } else { StoreError::Unavailable(detail.chars().take(200).collect()) }
}

fn file_key(dataset: &str, image: u64) -> JsValue {
    Array::of2(&JsValue::from_str(dataset), &JsValue::from_f64(image as f64)).into()
}

impl IdbStore {
    /// Opens (creating on first use) the database.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] where IndexedDB is blocked (some private modes).
    pub async fn open() -> Result<IdbStore, StoreError> {
        let factory = Factory::new().map_err(unavailable)?;
        let mut request = factory.open(DB_NAME, Some(2)).map_err(unavailable)?;
        request.on_upgrade_needed(|event| {
            let Ok(db) = event.database() else { return };
            let names = db.store_names();
            if !names.iter().any(|n| n == DATASETS) {
                let _ = db.create_object_store(DATASETS, ObjectStoreParams::new());
            }
            if !names.iter().any(|n| n == FILES) {
                let _ = db.create_object_store(FILES, ObjectStoreParams::new());
            }
            if !names.iter().any(|n| n == MODELS) {
                let _ = db.create_object_store(MODELS, ObjectStoreParams::new());
            }
        });
        request.on_blocked(|_| {
            web_sys::console::warn_1(&"ImageLab: the database upgrade waits for another ImageLab tab to close".into());
        });
        let mut db = request.await.map_err(unavailable)?;
        // A newer ImageLab in another tab wants to upgrade the database: let it (this tab's next
        // open() reconnects).
        db.on_version_change(|event: web_sys::Event| {
            if let Some(db) = event.target().and_then(|t| t.dyn_into::<web_sys::IdbDatabase>().ok()) {
                db.close();
            }
        });
        Ok(IdbStore { db })
    }
}

impl Store for IdbStore {
    type File = Blob;

    async fn datasets(&self) -> Result<Vec<DatasetInfo>, StoreError> {
        let tx = self.db.transaction(&[DATASETS], TransactionMode::ReadOnly).map_err(unavailable)?;
        let store = tx.object_store(DATASETS).map_err(unavailable)?;
        let values = store.get_all(None, None).map_err(unavailable)?.await.map_err(unavailable)?;
        let mut out = Vec::new();
        for v in values {
            let bytes = Uint8Array::new(&v).to_vec();
            // A record of another layout version (a newer app) is left alone, not misread.
            if bytes.first() == Some(&INFO_VERSION)
                && let Ok(info) = postcard::from_bytes::<DatasetInfo>(&bytes[1..])
            {
                out.push(info);
            }
        }
        Ok(out)
    }

    async fn commit(&self, info: &DatasetInfo, added: Vec<(u64, Blob)>, removed: &[u64]) -> Result<(), StoreError> {
        let mut bytes = vec![INFO_VERSION];
        bytes.extend(postcard::to_allocvec(info).map_err(unavailable)?);
        let tx = self.db.transaction(&[DATASETS, FILES], TransactionMode::ReadWrite).map_err(unavailable)?;
        let datasets = tx.object_store(DATASETS).map_err(unavailable)?;
        let files = tx.object_store(FILES).map_err(unavailable)?;
        // Requests are queued on the transaction; its completion says whether all landed.
        let _ = datasets.put(&Uint8Array::from(bytes.as_slice()).into(), Some(&JsValue::from_str(&info.id))).map_err(unavailable)?;
        for &id in removed {
            let _ = files.delete(Query::Key(file_key(&info.id, id))).map_err(unavailable)?;
        }
        for (id, blob) in added {
            let _ = files.put(&blob.into(), Some(&file_key(&info.id, id))).map_err(unavailable)?;
        }
        match tx.await.map_err(unavailable)? {
            TransactionResult::Committed => Ok(()),
            // Chromium aborts a transaction that would pass the quota without a request error.
            TransactionResult::Aborted => Err(StoreError::QuotaExceeded),
        }
    }

    async fn file(&self, dataset: &str, image: u64) -> Result<Blob, StoreError> {
        let tx = self.db.transaction(&[FILES], TransactionMode::ReadOnly).map_err(unavailable)?;
        let store = tx.object_store(FILES).map_err(unavailable)?;
        let value = store.get(Query::Key(file_key(dataset, image))).map_err(unavailable)?.await.map_err(unavailable)?;
        value.and_then(|v| v.dyn_into::<Blob>().ok()).ok_or(StoreError::Missing(image))
    }

    async fn delete(&self, dataset: &str) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[DATASETS, FILES], TransactionMode::ReadWrite).map_err(unavailable)?;
        let _ = tx.object_store(DATASETS).map_err(unavailable)?.delete(Query::Key(JsValue::from_str(dataset))).map_err(unavailable)?;
        let range = KeyRange::bound(&file_key(dataset, 0), &file_key(dataset, u64::MAX), None, None).map_err(unavailable)?;
        let _ = tx.object_store(FILES).map_err(unavailable)?.delete(Query::KeyRange(range)).map_err(unavailable)?;
        match tx.await.map_err(unavailable)? {
            TransactionResult::Committed => Ok(()),
            TransactionResult::Aborted => Err(StoreError::Unavailable("the deletion was aborted".into())),
        }
    }
}

impl IdbStore {
    /// Every file of one dataset, by image id, in one request (thumbnails, training).
    ///
    /// # Errors
    /// As the store.
    pub async fn files(&self, dataset: &str) -> Result<Vec<(u64, Blob)>, StoreError> {
        let tx = self.db.transaction(&[FILES], TransactionMode::ReadOnly).map_err(unavailable)?;
        let store = tx.object_store(FILES).map_err(unavailable)?;
        let range = KeyRange::bound(&file_key(dataset, 0), &file_key(dataset, u64::MAX), None, None).map_err(unavailable)?;
        let keys = store.get_all_keys(Some(Query::KeyRange(range.clone())), None).map_err(unavailable)?.await.map_err(unavailable)?;
        let values = store.get_all(Some(Query::KeyRange(range)), None).map_err(unavailable)?.await.map_err(unavailable)?;
        Ok(keys
            .into_iter()
            .zip(values)
            .filter_map(|(k, v)| {
                let id = Array::from(&k).get(1).as_f64()? as u64;
                Some((id, v.dyn_into::<Blob>().ok()?))
            })
            .collect())
    }
}

/// Storage used and the quota, in bytes (`navigator.storage.estimate()`), where the browser says.
pub async fn estimate() -> Option<(f64, f64)> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.estimate().ok()?;
    let est: web_sys::StorageEstimate = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.unchecked_into();
    Some((est.get_usage()?, est.get_quota()?))
}

/// Asks the browser not to evict our data under storage pressure (best effort; Chromium grants
/// it to sites used often or installed).
pub fn request_persistence() {
    if let Some(w) = web_sys::window()
        && let Ok(p) = w.navigator().storage().persist()
    {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        });
    }
}

/// A trained model kept in the browser: the model file (burnpack + metadata, exactly what the
/// download holds) and how the list shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedModel {
    /// Key (`m-<ms since 1970>`).
    pub id: String,
    /// The data it was trained on.
    pub data: String,
    /// Its validation accuracy.
    pub accuracy: f64,
    /// When it was saved (ms since 1970).
    pub saved_ms: f64,
    /// The model file.
    pub bytes: Vec<u8>,
}

impl IdbStore {
    /// Every saved model, oldest first.
    ///
    /// # Errors
    /// As the store.
    pub async fn models(&self) -> Result<Vec<SavedModel>, StoreError> {
        let tx = self.db.transaction(&[MODELS], TransactionMode::ReadOnly).map_err(unavailable)?;
        let values = tx.object_store(MODELS).map_err(unavailable)?.get_all(None, None).map_err(unavailable)?.await.map_err(unavailable)?;
        let mut out: Vec<SavedModel> = values
            .into_iter()
            .filter_map(|v| {
                let bytes = Uint8Array::new(&v).to_vec();
                (bytes.first() == Some(&MODEL_VERSION)).then(|| postcard::from_bytes(&bytes[1..]).ok()).flatten()
            })
            .collect();
        out.sort_by(|a, b| a.saved_ms.total_cmp(&b.saved_ms));
        Ok(out)
    }

    /// Keeps a model (a full quota refuses it and changes nothing); gives every saved model after.
    ///
    /// # Errors
    /// As the store.
    pub async fn put_model(&self, model: &SavedModel) -> Result<Vec<SavedModel>, StoreError> {
        let mut bytes = vec![MODEL_VERSION];
        bytes.extend(postcard::to_allocvec(model).map_err(unavailable)?);
        let tx = self.db.transaction(&[MODELS], TransactionMode::ReadWrite).map_err(unavailable)?;
        let _ = tx
            .object_store(MODELS)
            .map_err(unavailable)?
            .put(&Uint8Array::from(bytes.as_slice()).into(), Some(&JsValue::from_str(&model.id)))
            .map_err(unavailable)?;
        match tx.await.map_err(unavailable)? {
            TransactionResult::Committed => self.models().await,
            TransactionResult::Aborted => Err(StoreError::QuotaExceeded),
        }
    }

    /// Forgets a model; gives every saved model after.
    ///
    /// # Errors
    /// As the store.
    pub async fn delete_model(&self, id: &str) -> Result<Vec<SavedModel>, StoreError> {
        let tx = self.db.transaction(&[MODELS], TransactionMode::ReadWrite).map_err(unavailable)?;
        let _ = tx.object_store(MODELS).map_err(unavailable)?.delete(Query::Key(JsValue::from_str(id))).map_err(unavailable)?;
        match tx.await.map_err(unavailable)? {
            TransactionResult::Committed => self.models().await,
            TransactionResult::Aborted => Err(StoreError::Unavailable("the deletion was aborted".into())),
        }
    }
}

/// Small preferences kept in `localStorage` (they survive a reload; where storage is blocked the
/// page simply forgets them): the dataset chosen for training and the last lab opened.
pub mod prefs {
    /// The dataset chosen for training, as the data lab prepared it.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Choice {
        /// The dataset's id in IndexedDB.
        pub id: String,
        /// Its name when chosen (shown while it is prepared again after a reload).
        pub name: String,
        /// The input size (width = height) and channels it was converted to.
        pub size: usize,
        pub channels: usize,
    }

    const CHOICE: &str = "imagelab.training-data";
    const LAST_LAB: &str = "imagelab.last-lab";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// The saved choice, if any (a malformed entry reads as none).
    pub fn choice() -> Option<Choice> {
        let raw = storage()?.get_item(CHOICE).ok()??;
        let mut parts = raw.splitn(4, '\n');
        let id = parts.next()?.to_owned();
        let size = parts.next()?.parse().ok()?;
        let channels = parts.next()?.parse().ok()?;
        let name = parts.next()?.to_owned();
        (!id.is_empty() && matches!(channels, 1 | 3) && (8..=256).contains(&size)).then_some(Choice { id, name, size, channels })
    }

    /// Saves the choice, or forgets it (`None`: the built-in digits).
    pub fn set_choice(choice: Option<&Choice>) {
        let Some(s) = storage() else { return };
        let _ = match choice {
            Some(c) => s.set_item(CHOICE, &format!("{}\n{}\n{}\n{}", c.id, c.size, c.channels, c.name)),
            None => s.remove_item(CHOICE),
        };
    }

    /// The slug of the last lab opened.
    pub fn last_lab() -> Option<String> {
        storage()?.get_item(LAST_LAB).ok()?
    }

    pub fn set_last_lab(slug: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(LAST_LAB, slug);
        }
    }
}
