//! Limits on what content may ask of a build: a hostile or broken file must get a clear
//! message, never a crash, a hang or a page the size of a disk.
//!
//! Every limit has a default that no real disclosure document comes near and can be
//! raised in `site.yaml` under `limits:`. The nesting limit has a hard ceiling: past a few
//! thousand nested elements the HTML minifier (and browsers' parsers) give up, so no
//! setting may go beyond [`MAX_NESTING`].

use schemars::JsonSchema;
use serde::Deserialize;

/// The most nested elements any setting may allow: well inside what the minifier's
/// recursive parser survives on a thread's default stack (it overflows near 3,000).
pub const MAX_NESTING: usize = 1_000;

const MB: u64 = 1 << 20;

/// The limits of one site, from `limits:` in site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(
    title = "限制",
    description = "内容的大小与深度限制（默认值远超真实文件）"
)]
pub struct Limits {
    /// Largest content file (Markdown or YAML), in MB.
    #[schemars(
        title = "文件大小上限",
        description = "单个 Markdown 或 YAML 文件的大小上限（MB）"
    )]
    pub file_mb: u64,
    /// Largest attachment, in MB.
    #[schemars(title = "附件大小上限", description = "单个附件的大小上限（MB）")]
    pub attachment_mb: u64,
    /// Deepest nesting of elements (block quotes, lists, emphasis …) in one Markdown text.
    #[schemars(
        title = "嵌套层数上限",
        description = "一篇 Markdown 中元素嵌套的最大层数（1–1000）",
        range(min = 1, max = 1000)
    )]
    pub nesting: usize,
    /// Most headings in one Markdown text.
    #[schemars(title = "标题数上限", description = "一篇 Markdown 中标题的最多个数")]
    pub headings: usize,
    /// Largest fenced code block that is highlighted, in KB; larger blocks are shown
    /// plain, not refused (highlighting costs time and bytes in proportion).
    #[schemars(
        title = "代码高亮上限",
        description = "代码块高亮的大小上限（KB），更大的代码块不高亮"
    )]
    pub highlight_kb: u64,
    /// Largest total output of a build (pages, data, search, attachments), in MB.
    #[schemars(title = "输出大小上限", description = "一次构建输出的总大小上限（MB）")]
    pub output_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_mb: 10,
            attachment_mb: 200,
            nesting: 64,
            headings: 2_000,
            highlight_kb: 64,
            output_mb: 50 * 1024,
        }
    }
}

impl Limits {
    /// Largest content file, in bytes.
    pub fn file_bytes(&self) -> u64 {
        self.file_mb.saturating_mul(MB)
    }

    /// Largest attachment, in bytes.
    pub fn attachment_bytes(&self) -> u64 {
        self.attachment_mb.saturating_mul(MB)
    }

    /// Largest highlighted code block, in bytes.
    pub fn highlight_bytes(&self) -> usize {
        usize::try_from(self.highlight_kb.saturating_mul(1024)).unwrap_or(usize::MAX)
    }

    /// Largest total output, in bytes.
    pub fn output_bytes(&self) -> u64 {
        self.output_mb.saturating_mul(MB)
    }
}

/// "12.3 MB" for messages about sizes.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / MB as f64)
}
