//! Typed ids of content items. An id is a file stem of `[a-z0-9-]+`; a separate type per
//! kind keeps a body id from being passed where a unit id is expected.

use std::fmt;

use serde::Serialize;

/// Whether `text` is a valid content id: `[a-z0-9-]+`, at most [`MAX_ID_LEN`] long, and
/// not a name Windows reserves for devices (`con`, `nul`, `com1` …), since an id becomes a
/// folder of the built site and a file of the content repository.
pub fn is_valid_id(text: &str) -> bool {
    id_problem(text).is_none()
}

/// Longest id: file names stay well inside every file system's 255-byte limit.
pub const MAX_ID_LEN: usize = 100;

/// Why `text` cannot be an id, if it cannot.
pub fn id_problem(text: &str) -> Option<String> {
    if text.is_empty()
        || !text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some(format!(
            "`{text}` is not a valid id: use lowercase ASCII letters, digits and `-`"
        ));
    }
    if text.len() > MAX_ID_LEN {
        return Some(format!(
            "id `{text}` is {} characters long: at most {MAX_ID_LEN}",
            text.len()
        ));
    }
    if is_reserved_on_windows(text) {
        return Some(format!(
            "`{text}` cannot be an id: Windows reserves this name, so its file and folder could not be checked out there"
        ));
    }
    None
}

/// Device names Windows refuses as a file or folder name, with or without an extension
/// (`CON`, `con.txt`, `COM1`, `lpt9.md`), compared without case.
pub fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    let stem = stem.trim_end_matches(' ');
    matches!(stem, "con" | "prn" | "aux" | "nul" | "conin$" | "conout$")
        || ["com", "lpt"].iter().any(|prefix| {
            stem.strip_prefix(prefix).is_some_and(|n| {
                matches!(
                    n,
                    "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
            })
        })
}

macro_rules! content_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Accepts `[a-z0-9-]+`, the shape of every id in content, so ids are safe
            /// in URLs and paths.
            pub fn parse(text: &str) -> Result<Self, String> {
                match id_problem(text) {
                    None => Ok(Self(text.to_string())),
                    Some(problem) => Err(problem),
                }
            }

            /// The id as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

content_id!(
    /// Id of a unit (`content/units/<id>.yaml`).
    UnitId
);
content_id!(
    /// Id of a coordinating body (`content/bodies/<id>.yaml`).
    BodyId
);
content_id!(
    /// Id of a progress plan (`content/progress/<id>.yaml`).
    PlanId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_device_names_are_not_ids() {
        for name in ["con", "aux", "nul", "prn", "com1", "lpt9"] {
            assert!(UnitId::parse(name).is_err(), "{name}");
        }
        for name in ["console", "com10", "com", "auxiliary", "lyg-kjj"] {
            assert!(UnitId::parse(name).is_ok(), "{name}");
        }
        assert!(is_reserved_on_windows("CON.txt"));
        assert!(UnitId::parse(&"a".repeat(MAX_ID_LEN + 1)).is_err());
    }
}
