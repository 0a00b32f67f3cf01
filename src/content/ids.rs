//! Typed ids of content items. An id is a file stem of `[a-z0-9-]+`; a separate type per
//! kind keeps a body id from being passed where a unit id is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Text;
use crate::text;

/// Whether `text` is a valid content id: `[a-z0-9-]+`, at most [`MAX_ID_LEN`] long, and
/// not a name Windows reserves for devices (`con`, `nul`, `com1` …), since an id becomes a
/// folder of the built site and a file of the content repository.
pub fn is_valid_id(text: &str) -> bool {
    id_problem(text).is_none()
}

/// Longest id: file names stay well inside every file system's 255-byte limit.
pub const MAX_ID_LEN: usize = 100;

/// Why `text` cannot be an id, if it cannot.
pub fn id_problem(text: &str) -> Option<Text> {
    if text.is_empty()
        || !text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some(text!(
            "`{text}` is not a valid id: use lowercase ASCII letters, digits and `-`",
            "`{text}` 不是有效的 id：只能使用小写英文字母、数字和 `-`"
        ));
    }
    if text.len() > MAX_ID_LEN {
        return Some(text!(
            "id `{text}` is {len} characters long: at most {MAX_ID_LEN}",
            "id `{text}` 长 {len} 个字符：最多 {MAX_ID_LEN} 个",
            len = text.len()
        ));
    }
    if is_reserved_on_windows(text) {
        return Some(text!(
            "`{text}` cannot be an id: Windows reserves this name, so its file and folder could not be checked out there",
            "`{text}` 不能用作 id：这是 Windows 保留的名称，其文件和文件夹在 Windows 上无法检出"
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

        /// Read back (the build cache) only through [`Self::parse`].
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }

        impl $name {
            /// Accepts `[a-z0-9-]+`, the shape of every id in content, so ids are safe
            /// in URLs and paths.
            pub fn parse(text: &str) -> Result<Self, Text> {
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

        /// Maps keyed by id are looked up with the text a reference was written as.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
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
content_id!(
    /// Id of a 依申请公开 application (`content/applications/<id>.yaml`), such as `2024-001`.
    ApplicationId
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
