//! JSON Schemas (draft 2020-12) of every kind of content file, for editors.
//!
//! They are derived (schemars) from the very structs the loader deserialises (`RawNotice`,
//! `RawUnit` …, each with `deny_unknown_fields`), so a field added to the loader appears in
//! the schema, and an unknown field is `additionalProperties: false` in both. Where the
//! loader reads a value through a wrapper (serde-saphyr's `Spanned<T>`, for positions) or
//! as a string it checks itself (dates, ids, enum keys), the field says what is accepted
//! with `#[schemars(with = …)]`: one of the small schema-only types below, or the enum
//! whose keys the loader parses through serde. The schemas are the same for every site
//! (a site's `index_no_pattern` is enforced by `gongkai check`, not here).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use strum::VariantArray;

/// One kind of content file, with its schema; `VARIANTS` in the order `gongkai schema`
/// writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum Kind {
    /// `content/site.yaml`.
    Site,
    /// The front matter of `content/notices/**/*.md`.
    Notice,
    /// `content/units/<id>.yaml`.
    Unit,
    /// `content/bodies/<id>.yaml`.
    Body,
    /// `content/progress/<id>.yaml`.
    Plan,
    /// The front matter of `content/news/<id>.md`.
    News,
    /// The front matter of `content/pages/<id>.md`.
    Page,
    /// `content/applications/<id>.yaml` (依申请公开, never published).
    Application,
    /// `content/reports/<year>.yaml` (the annual report's year file).
    Report,
}

impl Kind {
    /// The schema's file name in the schema folder (`notice.schema.json`).
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Site => "site.schema.json",
            Kind::Notice => "notice.schema.json",
            Kind::Unit => "unit.schema.json",
            Kind::Body => "body.schema.json",
            Kind::Plan => "plan.schema.json",
            Kind::News => "news.schema.json",
            Kind::Page => "page.schema.json",
            Kind::Application => "application.schema.json",
            Kind::Report => "report.schema.json",
        }
    }

    /// The files of this kind, as a glob relative to the site root (for `yaml.schemas`).
    pub fn glob(self) -> &'static str {
        match self {
            Kind::Site => "content/site.yaml",
            Kind::Notice => "content/notices/**/*.md",
            Kind::Unit => "content/units/*.yaml",
            Kind::Body => "content/bodies/*.yaml",
            Kind::Plan => "content/progress/*.yaml",
            Kind::News => "content/news/*.md",
            Kind::Page => "content/pages/*.md",
            Kind::Application => "content/applications/*.yaml",
            Kind::Report => "content/reports/*.yaml",
        }
    }

    /// Whether the schema describes the YAML front matter of a Markdown file.
    pub fn is_front_matter(self) -> bool {
        matches!(self, Kind::Notice | Kind::News | Kind::Page)
    }

    /// The JSON Schema of this kind.
    pub fn schema(self) -> serde_json::Value {
        let generator = SchemaSettings::draft2020_12()
            .for_deserialize()
            .into_generator();
        let schema = match self {
            Kind::Site => generator.into_root_schema_for::<crate::config::RawConfig>(),
            Kind::Notice => generator.into_root_schema_for::<crate::content::notice::RawNotice>(),
            Kind::Unit => generator.into_root_schema_for::<crate::content::unit::RawUnit>(),
            Kind::Body => generator.into_root_schema_for::<crate::content::body::RawBody>(),
            Kind::Plan => generator.into_root_schema_for::<crate::content::plan::RawPlan>(),
            Kind::News => generator.into_root_schema_for::<crate::content::page::RawNews>(),
            Kind::Page => generator.into_root_schema_for::<crate::content::page::RawPage>(),
            Kind::Application => {
                generator.into_root_schema_for::<crate::content::application::RawApplication>()
            }
            Kind::Report => {
                generator.into_root_schema_for::<crate::content::year_report::RawYearReport>()
            }
        };
        schema.to_value()
    }

    /// The schema as written to its file: pretty JSON ending in a newline, so the
    /// committed files diff line by line.
    pub fn schema_text(self) -> String {
        let mut text = serde_json::to_string_pretty(&self.schema()).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Where `gongkai schema` writes without `--out`, relative to the site root.
pub const DEFAULT_DIR: &str = "schemas";

/// Writes every schema into `dir` (created if missing), replacing older versions: they
/// are generated files. Returns the paths written.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, crate::diagnostics::Text> {
    std::fs::create_dir_all(dir).map_err(|e| {
        let shown = dir.display();
        crate::text!("cannot create {shown}: {e}", "无法创建 {shown}：{e}")
    })?;
    Kind::VARIANTS
        .iter()
        .map(|kind| {
            let path = dir.join(kind.file_name());
            std::fs::write(&path, kind.schema_text()).map_err(|e| {
                let shown = path.display();
                crate::text!("cannot write {shown}: {e}", "无法写入 {shown}：{e}")
            })?;
            Ok(path)
        })
        .collect()
}

/// Declares a schema-only type: a string the loader accepts and checks itself.
macro_rules! string_schema {
    ($(#[$doc:meta])* $name:ident, $schema_name:literal, $($json:tt)+) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                $schema_name.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($($json)+)
            }
        }
    };
}

string_schema!(
    /// A calendar date as content writes it (`2014-05-07`); `2009-02-30` is refused by
    /// the loader, and by validators that check `format`.
    Date,
    "Date",
    { "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }
);

string_schema!(
    /// A date with an optional time of day (`2014-05-08` or `2014-05-08 09:30`): a
    /// notice's `published`.
    DateTime,
    "DateTime",
    { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2})?$" }
);

string_schema!(
    /// A reference to a unit, body or plan by its id (its file stem).
    Id,
    "Id",
    { "type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": crate::content::ids::MAX_ID_LEN }
);

string_schema!(
    /// A 索引号, as written in `index_no` or in a reference to a notice.
    IndexNo,
    "IndexNo",
    { "type": "string", "pattern": "^[^\\s]+$" }
);

string_schema!(
    /// A text that must not be empty or blank (required titles and names).
    Text,
    "Text",
    { "type": "string", "pattern": "\\S" }
);

string_schema!(
    /// An absolute http(s) URL.
    Url,
    "Url",
    { "type": "string", "pattern": "^https?://" }
);

string_schema!(
    /// A 索引号 prefix of a unit (`k12498411`): what comes before `/` in its notices'
    /// 索引号 (see [`crate::content::unit::is_valid_index_prefix`]).
    IndexPrefix,
    "IndexPrefix",
    { "type": "string", "pattern": "^[0-9A-Za-z._-]{1,64}$" }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::{Key, Label};

    /// The keys of an enum's schema (`oneOf` of `const`s), with their titles.
    fn consts(schema: &serde_json::Value, def: &str) -> Vec<(String, String)> {
        schema["$defs"][def]["oneOf"]
            .as_array()
            .map(|variants| {
                variants
                    .iter()
                    .map(|v| {
                        (
                            v["const"].as_str().unwrap_or_default().to_string(),
                            v["title"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn enums_list_the_keys_the_loader_parses_with_their_labels() {
        let validity = consts(&Kind::Notice.schema(), "Validity");
        assert_eq!(
            validity,
            [
                ("effective", "有效"),
                ("amended", "已修改"),
                ("partially_expired", "部分失效"),
                ("expired", "失效"),
                ("repealed", "废止"),
            ]
            .map(|(k, t)| (k.to_string(), t.to_string()))
        );
        let kinds = consts(&Kind::Unit.schema(), "UnitKind");
        for &kind in crate::content::unit::UnitKind::VARIANTS {
            assert!(
                kinds.contains(&(kind.key().to_string(), kind.label().to_string())),
                "{kinds:?}"
            );
        }
        let statuses = consts(&Kind::Plan.schema(), "Status");
        for &status in crate::content::plan::Status::VARIANTS {
            assert!(
                statuses.contains(&(status.key().to_string(), status.label().to_string())),
                "{statuses:?}"
            );
        }
        assert_eq!(consts(&Kind::Body.schema(), "BodyKind").len(), 3);
    }

    #[test]
    fn every_object_refuses_unknown_fields_and_every_field_is_described() {
        for &kind in Kind::VARIANTS {
            let schema = kind.schema();
            let mut objects = vec![&schema];
            if let Some(defs) = schema["$defs"].as_object() {
                objects.extend(defs.values());
            }
            for object in objects {
                let Some(properties) = object["properties"].as_object() else {
                    continue;
                };
                assert_eq!(object["additionalProperties"], false, "{kind:?}: {object}");
                for (name, field) in properties {
                    let description = field["description"].as_str().unwrap_or_default();
                    assert!(
                        description
                            .chars()
                            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                        "{kind:?}.{name} has no Chinese description"
                    );
                }
            }
        }
    }

    /// The YAML extension of VS Code (yaml-language-server) validates with a draft-07
    /// engine: the schemas keep to keywords that mean the same there, so editors apply
    /// them fully (`$defs` is reached by `$ref` as a plain JSON pointer).
    #[test]
    fn schemas_use_only_keywords_draft_07_reads_the_same() {
        const KEYWORDS: &[&str] = &[
            "$schema",
            "$defs",
            "$ref",
            "title",
            "description",
            "default",
            "type",
            "properties",
            // site.yaml's `holidays:` (year → arrangement); the same since draft 04.
            "patternProperties",
            "additionalProperties",
            "required",
            "items",
            "oneOf",
            "anyOf",
            "const",
            "pattern",
            "format",
            "maxLength",
            "minItems",
            "minimum",
            "maximum",
        ];
        fn walk(node: &serde_json::Value, in_names: bool, kind: Kind) {
            match node {
                serde_json::Value::Object(map) => {
                    for (key, value) in map {
                        assert!(
                            in_names || KEYWORDS.contains(&key.as_str()),
                            "{kind:?}: keyword `{key}`"
                        );
                        walk(
                            value,
                            !in_names
                                && matches!(
                                    key.as_str(),
                                    "properties" | "$defs" | "patternProperties"
                                ),
                            kind,
                        );
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, false, kind)),
                _ => {}
            }
        }
        for &kind in Kind::VARIANTS {
            walk(&kind.schema(), false, kind);
        }
    }
}
