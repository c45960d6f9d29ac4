//! Progress arithmetic for the progress bar: fraction done, ETA and human durations.

use crate::i18n::Lang;

/// Estimated milliseconds left, from the time spent on `done` of `total` steps. `None` until a
/// step has finished.
pub fn eta_ms(elapsed_ms: f64, done: usize, total: usize) -> Option<f64> {
    if done == 0 || total == 0 {
        return None;
    }
    let left = total.saturating_sub(done) as f64;
    Some(elapsed_ms / done as f64 * left)
}

/// A duration for people: "1分05秒" / "1 min 05 s", "12秒" / "12 s".
pub fn format_duration(ms: f64, lang: Lang) -> String {
    let secs = (ms.max(0.0) / 1000.0).round() as u64;
    let (m, s) = (secs / 60, secs % 60);
    match (lang, m) {
        (Lang::Ja, 0) => format!("{s}秒"),
        (Lang::Ja, _) => format!("{m}分{s:02}秒"),
        (Lang::En, 0) => format!("{s} s"),
        (Lang::En, _) => format!("{m} min {s:02} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_scales_with_remaining_steps() {
        assert_eq!(eta_ms(1000.0, 0, 10), None);
        assert_eq!(eta_ms(1000.0, 5, 10), Some(1000.0));
        assert_eq!(eta_ms(1000.0, 10, 10), Some(0.0));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(12_400.0, Lang::Ja), "12秒");
        assert_eq!(format_duration(65_000.0, Lang::Ja), "1分05秒");
        assert_eq!(format_duration(65_000.0, Lang::En), "1 min 05 s");
    }
}
