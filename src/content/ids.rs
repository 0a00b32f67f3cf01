//! Typed ids of content items. An id is a file stem of `[a-z0-9-]+`; a separate type per
//! kind keeps a body id from being passed where a unit id is expected.

use std::fmt;

use serde::Serialize;

/// Whether `text` is a valid content id (`[a-z0-9-]+`).
pub fn is_valid_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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
                if is_valid_id(text) {
                    Ok(Self(text.to_string()))
                } else {
                    Err(format!(
                        "`{text}` is not a valid id: use lowercase ASCII letters, digits and `-`"
                    ))
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
