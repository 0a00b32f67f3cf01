//! The machine name and the label of the enums whose values reach a reader or a tool
//! (docs/architecture.md, "Enums").
//!
//! An enum's machine name (the YAML value, the open-data and search value, the CSS class)
//! is its serde name. Where a `&'static str` of it is needed, [`Key::key`] gives it from
//! strum's `IntoStaticStr`, whose `serialize_all` is set to the serde `rename_all` and
//! checked against it by a test per enum (below). Every variant, in declaration order, is
//! strum's `VariantArray`. The words a reader sees are each variant's
//! `#[strum(message = "…")]` ([`Label::label`]); the JSON Schema takes its titles from
//! the same `label()`, so the schema and the site cannot name a value differently.

/// An enum whose machine name is its serde name.
pub trait Key: Copy + Into<&'static str> + strum::VariantArray {
    /// The serde name (`partially_expired`).
    fn key(self) -> &'static str {
        self.into()
    }

    /// Every machine name, in declaration order (the "use one of" of a diagnostic).
    fn keys() -> Vec<&'static str> {
        Self::VARIANTS.iter().map(|v| v.key()).collect()
    }
}

/// An enum with the words a reader sees for each value (`#[strum(message = "…")]`).
pub trait Label: Copy + strum::EnumMessage {
    /// What a reader sees (`部分失效`).
    fn label(self) -> &'static str {
        self.get_message().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::{Key, Label};
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use std::fmt::Debug;

    /// The strum name of every variant is its serde name, and no two are equal.
    fn serde_agrees<T: Key + Serialize + Debug>() {
        let keys = T::keys();
        for v in T::VARIANTS {
            let json = serde_json::to_value(v).expect("serialises");
            assert_eq!(json, serde_json::Value::String(v.key().into()), "{v:?}");
        }
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "{keys:?}");
    }

    /// Every key reads back, through the loader's own `parse_key`, as its variant.
    fn reads_back<T: Key + DeserializeOwned + PartialEq + Debug>() {
        for &v in T::VARIANTS {
            assert_eq!(crate::content::parse_key::<T>(v.key()), Some(v), "{v:?}");
        }
    }

    /// Every variant has a label.
    fn labelled<T: Label + strum::VariantArray + Debug>() {
        for &v in T::VARIANTS {
            assert!(!v.label().is_empty(), "{v:?} has no #[strum(message)]");
        }
    }

    /// `order` names every variant of `T` exactly once.
    fn permutation<T: strum::VariantArray + Ord + Copy + Debug>(order: &[T]) {
        let mut sorted = order.to_vec();
        sorted.sort_unstable();
        let mut all = T::VARIANTS.to_vec();
        all.sort_unstable();
        assert_eq!(sorted, all);
    }

    use crate::content::{body::BodyKind, notice::Validity, plan::Status, unit::UnitKind};

    #[test]
    fn validity() {
        serde_agrees::<Validity>();
        reads_back::<Validity>();
        labelled::<Validity>();
    }

    #[test]
    fn notice_category() {
        serde_agrees::<crate::content::notice::Category>();
        reads_back::<crate::content::notice::Category>();
        labelled::<crate::content::notice::Category>();
    }

    #[test]
    fn application_enums() {
        use crate::content::application::{Applicant, Channel, Outcome, OutcomeGroup};
        serde_agrees::<Applicant>();
        reads_back::<Applicant>();
        labelled::<Applicant>();
        serde_agrees::<Channel>();
        reads_back::<Channel>();
        labelled::<Channel>();
        serde_agrees::<Outcome>();
        reads_back::<Outcome>();
        labelled::<Outcome>();
        serde_agrees::<OutcomeGroup>();
        reads_back::<OutcomeGroup>();
        labelled::<OutcomeGroup>();
    }

    #[test]
    fn effective_validity() {
        serde_agrees::<crate::site::EffectiveValidity>();
        labelled::<crate::site::EffectiveValidity>();
    }

    #[test]
    fn unit_kind() {
        serde_agrees::<UnitKind>();
        reads_back::<UnitKind>();
        labelled::<UnitKind>();
        permutation(&UnitKind::LISTED);
    }

    #[test]
    fn body_kind() {
        serde_agrees::<BodyKind>();
        reads_back::<BodyKind>();
        labelled::<BodyKind>();
    }

    #[test]
    fn status() {
        serde_agrees::<Status>();
        reads_back::<Status>();
        labelled::<Status>();
        permutation(&Status::SUMMARY);
    }

    #[test]
    fn page_column() {
        serde_agrees::<crate::content::page::PageColumn>();
        reads_back::<crate::content::page::PageColumn>();
        labelled::<crate::content::page::PageColumn>();
    }

    #[test]
    fn verdict() {
        serde_agrees::<crate::progress::Verdict>();
        labelled::<crate::progress::Verdict>();
    }

    #[test]
    fn search_kind() {
        serde_agrees::<crate::search::documents::SearchKind>();
        labelled::<crate::search::documents::SearchKind>();
    }

    #[test]
    fn link_kind() {
        serde_agrees::<crate::links::Kind>();
        reads_back::<crate::links::Kind>();
        labelled::<crate::links::Kind>();
    }

    #[test]
    fn severity() {
        serde_agrees::<crate::diagnostics::Severity>();
    }

    #[test]
    fn code() {
        serde_agrees::<crate::diagnostics::Code>();
        reads_back::<crate::diagnostics::Code>();
    }
}
