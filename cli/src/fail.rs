//! Errors as the command line reports them: a message in Japanese and English, and an exit code.

use imagelab_core::CoreError;
use imagelab_core::i18n::Text;

/// Why a command stopped, and with which exit code.
#[derive(Debug)]
pub struct Failure {
    kind: Kind,
    text: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Some inputs failed; the rest were done.
    Partial,
    /// Bad arguments or settings.
    Usage,
    /// An input cannot be read.
    Input,
    /// The device asked for is unavailable.
    Device,
}

impl Failure {
    /// Bad arguments or settings (exit code 2).
    pub fn usage(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Failure { kind: Kind::Usage, text: Text::new(ja, en) }
    }

    /// An input that cannot be read (exit code 3).
    pub fn input(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Failure { kind: Kind::Input, text: Text::new(ja, en) }
    }

    /// Some inputs failed, the others were done (exit code 1).
    pub fn partial(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Failure { kind: Kind::Partial, text: Text::new(ja, en) }
    }

    /// The device asked for is unavailable (exit code 4).
    pub fn device(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Failure { kind: Kind::Device, text: Text::new(ja, en) }
    }

    /// A core error about an input file (exit code 3), or about a setting (exit code 2).
    pub fn core(context: &str, e: &CoreError) -> Self {
        let t = e.text();
        let kind = match e {
            CoreError::BadSetting { .. } | CoreError::Layer { .. } => Kind::Usage,
            CoreError::Device(_) => Kind::Device,
            _ => Kind::Input,
        };
        let with = |s: &str| if context.is_empty() { s.to_owned() } else { format!("{context}: {s}") };
        Failure { kind, text: Text::new(with(&t.ja), with(&t.en)) }
    }

    /// The exit code.
    pub fn code(&self) -> u8 {
        match self.kind {
            Kind::Partial => 1,
            Kind::Usage => 2,
            Kind::Input => 3,
            Kind::Device => 4,
        }
    }

    /// Writes the message to stderr, Japanese first.
    pub fn print(&self) {
        eprintln!("エラー: {}", self.text.ja);
        eprintln!("error: {}", self.text.en);
    }
}

/// A file that could not be read, in both languages.
pub fn unreadable(path: &std::path::Path, e: &std::io::Error) -> Failure {
    Failure::input(format!("{} を読めません（{e}）", path.display()), format!("cannot read {} ({e})", path.display()))
}

/// A file that could not be written.
pub fn unwritable(path: &std::path::Path, e: &dyn std::fmt::Display) -> Failure {
    Failure::input(format!("{} に書き込めません（{e}）", path.display()), format!("cannot write {} ({e})", path.display()))
}
