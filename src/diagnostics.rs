//! Problems found in content, each pointing at `path:line:col` with the offending line.
//!
//! Every stage pushes into one [`Diagnostics`] list instead of returning at the first
//! problem, so a publisher sees every mistake of a commit in one run.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::enums::Key;
use crate::source::{Position, SourceFile};

/// How bad a problem is: errors fail the build, warnings are only printed.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Severity {
    /// The site cannot be built until this is fixed.
    Error,
    /// Worth fixing (a notice without summary), but the build goes on.
    Warning,
}

/// The language gongkai speaks to the publisher: the site's own (`language:` in
/// site.yaml), so an office writing in Chinese reads its errors in Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    /// Simplified Chinese, the default (also before site.yaml is read).
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    /// English, for every `language:` that is not Chinese.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The language for a site's `language:` tag: Chinese for `zh`, `zh-CN`, `zh-Hans` …,
    /// English for anything else (there are no other translations).
    pub fn of_tag(tag: &str) -> Lang {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "zh" || tag.starts_with("zh-") || tag.starts_with("zh_") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A message in both languages gongkai prints, made by [`text!`] with the two wordings
/// side by side, so that no message can exist in one language only.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(
    /// English, Chinese. Boxed: a diagnostic travels in every `Result` of the loader,
    /// and one pointer keeps those small.
    Box<[String; 2]>,
);

impl Text {
    /// Both wordings; [`text!`] is the way to call this, with the same arguments for both.
    pub fn new(en: String, zh: String) -> Self {
        Self(Box::new([en, zh]))
    }

    /// The English wording.
    pub fn en(&self) -> &str {
        &self.0[0]
    }

    /// The Chinese wording.
    pub fn zh(&self) -> &str {
        &self.0[1]
    }

    /// The wording in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }
}

impl fmt::Display for Text {
    /// English: what the library's own `Display` of a diagnostic uses (logs, test
    /// failures); the command line prints [`Text::get`] in the site's language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.en())
    }
}

/// `text!("unknown unit `{id}`", "未知单位 `{id}`", id = reference)`: a [`Text`] with its
/// English and Chinese wording next to each other. Named arguments are evaluated once and
/// captured by both format strings (so both must use the same names).
#[macro_export]
macro_rules! text {
    ($en:literal, $zh:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        $(let $name = $value;)*
        $crate::diagnostics::Text::new(format!($en), format!($zh))
    }};
}
pub use crate::text;

/// What a command's exit status says about a failure: the content is wrong (1), or
/// gongkai could not do its work at all (2: a missing root, an unreadable file, a refused
/// or locked output folder, a full disk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Fix the content: exit status 1.
    Content,
    /// Fix the command or the machine (paths, permissions, disk): exit status 2.
    Io,
}

impl Class {
    /// The exit status of a run that failed with a problem of this class.
    pub fn exit_code(self) -> u8 {
        match self {
            Class::Content => 1,
            Class::Io => 2,
        }
    }
}

/// The stable name of each kind of problem, the same in every language: tools match on
/// it (`--format json`), and docs/diagnostics.md explains each one. A code once published
/// is never renamed.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Code {
    // Files and YAML.
    /// The YAML is not well-formed.
    YamlSyntax,
    /// A field the schema does not know (a typo such as `isuer`).
    UnknownField,
    /// A required field is absent or empty.
    MissingField,
    /// A value of the wrong shape (a list where a text is expected, a word for a number).
    InvalidType,
    /// A Markdown file without its `---` front matter block.
    FrontMatter,
    /// Bytes that are not UTF-8.
    NotUtf8,
    /// A file larger than `limits: file_mb:`.
    FileTooLarge,
    /// A file gongkai does not read (a symbolic link, a `.yml` among `.yaml`).
    SkippedFile,
    // Values.
    /// Not a real date, month, year or deadline.
    InvalidDate,
    /// Two dates in the wrong order (valid_until before valid_from, a period ending
    /// before it starts).
    DateOrder,
    /// A value outside a field's fixed list (validity, kind, status).
    UnknownValue,
    /// A number out of its range (percent over 100, limits).
    OutOfRange,
    /// A URL that must be absolute http(s) and is not.
    InvalidUrl,
    /// `index_no_pattern` is not a regular expression.
    InvalidPattern,
    /// A 索引号 that cannot be used (spaces, a folder name no file system takes).
    InvalidIndexNo,
    /// A 索引号 not matching the site's `index_no_pattern`.
    IndexNoPattern,
    /// Two notices with one 索引号.
    DuplicateIndexNo,
    /// Two 索引号 that give one page folder.
    SlugClash,
    /// A file name that is not a valid id.
    InvalidId,
    /// Two files with one id.
    DuplicateId,
    /// A name the site itself uses (a page called `notices`, an attachment `index.html`).
    ReservedName,
    /// Something listed twice where it may appear once (a member unit, a task number).
    Duplicate,
    /// Two fields that exclude each other (a plan's `categories:` and `tasks:`).
    ConflictingFields,
    /// A field given without the one it depends on (an application's `outcome` without
    /// `replied`, a notice's `repealed_on` without `validity: repealed`).
    RequiresField,
    /// A holiday arrangement in site.yaml that cannot be right (a 调休 workday that is
    /// not a Saturday or Sunday, a workday inside a holiday).
    InvalidHolidays,
    // References.
    /// A unit id that no file in content/units defines.
    UnknownUnit,
    /// A 索引号 that no (published) notice has.
    UnknownNotice,
    /// A body id that no file in content/bodies defines.
    UnknownBody,
    /// Something that refers to itself (a notice superseding itself, its own parent).
    SelfReference,
    /// References that go round in a circle (supersedes, parent).
    Cycle,
    /// An update dated after the build's *as of*.
    FutureDate,
    /// A notice without 内容概述 (warning).
    MissingSummary,
    // Disclosure duties.
    /// An open application within 5 working days of its answer deadline (warning).
    DeadlineNear,
    /// An open application past its answer deadline as of the build.
    DeadlinePassed,
    /// An application answered after its deadline (warning).
    AnsweredLate,
    /// No holiday arrangement for a year working days are counted in (warning).
    HolidaysUnknown,
    /// A column of the annual report's 表三 where 本年新收 + 上年结转 ≠ 办理结果总计 +
    /// 结转下年度.
    ReportUnbalanced,
    // The inspection (`check --inspection`, 国办秘函〔2019〕19号).
    /// The home page's newest item is older than 2 weeks.
    StaleHome,
    /// A column's newest item is older than its limit.
    StaleColumn,
    /// A column page that lists nothing.
    EmptyColumn,
    /// A normative notice without a timely 政策解读.
    MissingInterpretation,
    /// Last year's annual report is missing after 31 January.
    MissingAnnualReport,
    /// 网站标识码, ICP备案号, 公开指南 or contact missing.
    MissingIdentity,
    /// An attachment that is missing, outside content/ or not a file.
    BrokenAttachment,
    /// An attachment or linked file a browser would run as part of the site (HTML, SVG,
    /// script).
    ActiveFile,
    // Markdown and links.
    /// An internal link that leads nowhere.
    BrokenLink,
    /// A link written in a way that breaks the site or its readers (from the server
    /// root, a `javascript:` URL).
    UnsafeLink,
    /// An http(s) link whose server says the page is not there (warning, `--external`).
    ExternalLink,
    /// Markdown nested deeper than `limits: nesting:`.
    TooDeep,
    /// More headings than `limits: headings:`.
    TooManyHeadings,
    /// The built site would pass `limits: output_mb:`.
    OutputTooLarge,
    /// A template override that does not parse or render.
    Template,
    /// Two outputs for one path (an attachment in the place of a page).
    OutputClash,
    // The machine: exit status 2.
    /// The root holds no content/site.yaml (or does not exist).
    NotASite,
    /// A file or folder that cannot be read.
    ReadFailed,
    /// A file or folder that cannot be written, moved or created.
    WriteFailed,
    /// An output folder gongkai will not replace.
    OutputRefused,
    /// Another build holds the output folder's lock.
    OutputLocked,
    /// `SOURCE_DATE_EPOCH` is set but not a date.
    InvalidEnvironment,
}

impl Code {
    /// Whether a failure of this kind is the content's (exit 1) or the machine's (exit 2).
    pub fn class(self) -> Class {
        match self {
            Code::NotASite
            | Code::ReadFailed
            | Code::WriteFailed
            | Code::OutputRefused
            | Code::OutputLocked
            | Code::InvalidEnvironment => Class::Io,
            _ => Class::Content,
        }
    }

    /// What the code means, in English and in Chinese: the table of docs/diagnostics.md
    /// (a test holds the two together). An exhaustive match, so a new code does not
    /// compile without both.
    pub fn meaning(self) -> (&'static str, &'static str) {
        match self {
            Code::YamlSyntax => ("The YAML is not well-formed.", "YAML 格式有误。"),
            Code::UnknownField => (
                "A field the schema does not know (a typo such as `isuer`).",
                "字段不在规定之列（例如把 `issuer` 误写成 `isuer`）。",
            ),
            Code::MissingField => (
                "A required field is absent or empty.",
                "缺少必填字段，或字段为空。",
            ),
            Code::InvalidType => (
                "A value of the wrong shape (a list where a text is expected, a word for a number).",
                "值的类型不符（应为文字却写成列表，应为数字却写成文字等）。",
            ),
            Code::FrontMatter => (
                "A Markdown file without its `---` front matter block, or with it unclosed.",
                "Markdown 文件缺少 `---` 前置元数据，或未结束。",
            ),
            Code::NotUtf8 => ("Bytes that are not UTF-8.", "文件含有非 UTF-8 字节。"),
            Code::FileTooLarge => (
                "A file or attachment larger than its limit in `limits:`.",
                "文件或附件超过 `limits:` 规定的大小。",
            ),
            Code::SkippedFile => (
                "A file gongkai does not read: a symbolic link, a `.yml` among `.yaml` (warning).",
                "不会被读取的文件：符号链接、`.yaml` 目录中的 `.yml` 等（警告）。",
            ),
            Code::InvalidDate => (
                "Not a real date, month, year or deadline.",
                "不是真实的日期、月份、年份或期限。",
            ),
            Code::DateOrder => (
                "Dates in the wrong order: valid_until before valid_from, a period ending before it starts, updates not oldest first.",
                "日期顺序有误：valid_until 早于 valid_from、期限结束早于开始、进度更新未按时间排列。",
            ),
            Code::UnknownValue => (
                "A value outside a field's fixed list (validity, kind, status).",
                "值不在字段的可选范围内（时效、类型、状态等）。",
            ),
            Code::OutOfRange => (
                "A number out of its range (a percent over 100, `limits: nesting:`).",
                "数值超出范围（百分比超过 100、`limits: nesting:` 等）。",
            ),
            Code::InvalidUrl => (
                "A URL that must be absolute http(s) and is not.",
                "网址须以 http(s):// 开头，但不是。",
            ),
            Code::InvalidPattern => (
                "`index_no_pattern` is not a regular expression.",
                "`index_no_pattern` 不是有效的正则表达式。",
            ),
            Code::InvalidIndexNo => (
                "A 索引号 that cannot be used: empty, with spaces, or giving a folder name no file system takes.",
                "索引号无法使用：为空、含空格，或对应的文件夹名不被文件系统接受。",
            ),
            Code::IndexNoPattern => (
                "A 索引号 that does not match the site's `index_no_pattern`.",
                "索引号不符合站点的 `index_no_pattern`。",
            ),
            Code::DuplicateIndexNo => (
                "Two notices with one 索引号.",
                "两个文件使用了同一个索引号。",
            ),
            Code::SlugClash => (
                "Two 索引号 that give one page folder (they differ only in punctuation or case).",
                "两个索引号对应同一个页面文件夹（仅标点或大小写不同）。",
            ),
            Code::InvalidId => (
                "A file name that is not a valid id (`[a-z0-9-]+`, not a Windows device name).",
                "文件名不是有效的 id（须为 `[a-z0-9-]+`，且不是 Windows 设备名）。",
            ),
            Code::DuplicateId => ("Two files with one id.", "两个文件使用了同一个 id。"),
            Code::ReservedName => (
                "A name the site itself uses: a page called `notices`, an attachment `index.html` or under `assets/`.",
                "站点自身使用的名称：名为 `notices` 的页面、名为 `index.html` 或位于 `assets/` 的附件等。",
            ),
            Code::Duplicate => (
                "Something listed twice where it may appear once (a member unit, a task's 序号).",
                "只能出现一次的内容重复出现（成员单位、任务序号等）。",
            ),
            Code::ConflictingFields => (
                "Two fields that exclude each other (a plan's `categories:` and `tasks:`).",
                "互斥的两个字段同时出现（工作方案的 `categories:` 与 `tasks:`）。",
            ),
            Code::RequiresField => (
                "A field given without the one it depends on: an application's `outcome` without `replied`, a notice's `repealed_on` without `validity: repealed` or `expired`.",
                "字段缺少其所依赖的字段：申请有 `outcome` 而无 `replied`、文件有 `repealed_on` 而时效不是 `repealed` 或 `expired`。",
            ),
            Code::InvalidHolidays => (
                "A holiday arrangement in site.yaml's `holidays:` that cannot be right: a workday that is not a Saturday or Sunday, a workday inside a holiday, a date outside its year.",
                "site.yaml 的 `holidays:` 中的节假日安排有误：调休上班日不是周六或周日、上班日落在假期内、日期不在该年份等。",
            ),
            Code::UnknownUnit => (
                "A unit id that no file in content/units defines.",
                "content/units 中没有这个单位 id。",
            ),
            Code::UnknownNotice => (
                "A 索引号 that no published notice has (drafts do not count).",
                "没有已发布的文件使用这个索引号（草稿不算）。",
            ),
            Code::UnknownBody => (
                "A body id that no file in content/bodies defines.",
                "content/bodies 中没有这个议事协调机构 id。",
            ),
            Code::SelfReference => (
                "Something that refers to itself: a notice superseding itself, a unit its own parent.",
                "引用了自身：文件替代自己、单位以自己为上级等。",
            ),
            Code::Cycle => (
                "References that go round in a circle (`supersedes`, `parent`).",
                "引用形成循环（`supersedes`、`parent`）。",
            ),
            Code::FutureDate => (
                "A progress update dated after the build's as-of date.",
                "进度更新的日期晚于本次构建的截至日期。",
            ),
            Code::MissingSummary => (
                "A notice without 内容概述 (`summary`) (warning).",
                "文件没有内容概述（`summary`）（警告）。",
            ),
            Code::DeadlineNear => (
                "An open 依申请公开 application within 5 working days of its answer deadline, as of the build (warning).",
                "依申请公开申请尚未答复，距答复期限不足 5 个工作日（以本次构建的截至日期计）（警告）。",
            ),
            Code::DeadlinePassed => (
                "An open 依申请公开 application past its answer deadline, as of the build.",
                "依申请公开申请尚未答复，已超过答复期限（以本次构建的截至日期计）。",
            ),
            Code::AnsweredLate => (
                "A 依申请公开 application answered after its deadline (warning).",
                "依申请公开申请的答复晚于答复期限（警告）。",
            ),
            Code::HolidaysUnknown => (
                "No holiday arrangement for a year in which working days are counted: days are counted Monday to Friday until site.yaml's `holidays:` gives it (warning).",
                "计算工作日的年份没有节假日安排：在 site.yaml 的 `holidays:` 补充之前按周一至周五计算（警告）。",
            ),
            Code::ReportUnbalanced => (
                "A column of the annual report's 表三 where 本年新收 + 上年结转 is not 办理结果总计 + 结转下年度 (the message names the column and the four numbers).",
                "年度报告表三某一列不平衡：本年新收 + 上年结转 不等于 办理结果总计 + 结转下年度（信息中列出该列和四个数字）。",
            ),
            Code::StaleHome => (
                "`check --inspection`: the newest notice, news item or progress update on the home page is more than 14 days older than the as-of date (首页不更新).",
                "`check --inspection`：首页最新的文件、工作动态或进度更新距截至日期超过 14 天（首页不更新）。",
            ),
            Code::StaleColumn => (
                "`check --inspection`: a column whose newest item is older than its limit: 工作动态 14 days, notices 180 days, or site.yaml's `columns:` (栏目不更新).",
                "`check --inspection`：栏目最新信息超过期限：工作动态 14 天、文件 180 天，或 site.yaml 的 `columns:`（栏目不更新）。",
            ),
            Code::EmptyColumn => (
                "`check --inspection`: a column page the site makes that lists nothing: 工作动态, 通知公告、政策文件 or 政策解读 (空白栏目).",
                "`check --inspection`：站点生成的栏目页面没有内容：工作动态、通知公告与政策文件或政策解读（空白栏目）。",
            ),
            Code::MissingInterpretation => (
                "`check --inspection`: a `normative` notice without a 政策解读 published within `inspection: interpretation_within_days:` (default 0, the same day).",
                "`check --inspection`：行政规范性文件没有在 `inspection: interpretation_within_days:` 天内（默认 0，即同日）发布的政策解读。",
            ),
            Code::MissingAnnualReport => (
                "`check --inspection`: after 31 January, last year's annual report (content/reports/<year>.yaml) is missing.",
                "`check --inspection`：1 月 31 日之后仍缺少上一年度的年度报告（content/reports/<年份>.yaml）。",
            ),
            Code::MissingIdentity => (
                "`check --inspection`: the site's identity is incomplete: no 网站标识码 (`site_code`, 10 characters), no ICP备案号 (`icp`), no contact, or no 公开指南 page.",
                "`check --inspection`：网站标识不全：没有网站标识码（`site_code`，10 位）、ICP备案号（`icp`）、联系方式或公开指南页面。",
            ),
            Code::BrokenAttachment => (
                "An attachment that is missing, outside content/ or not a file.",
                "附件不存在、位于 content/ 之外或不是文件。",
            ),
            Code::ActiveFile => (
                "An attachment or linked file a browser would run as part of the site (HTML, SVG, script).",
                "附件或链接的文件会被浏览器当作站点的一部分运行（HTML、SVG、脚本等）。",
            ),
            Code::BrokenLink => (
                "An internal link that leads nowhere: an unknown id, a path outside content/, a draft.",
                "站内链接无效：id 不存在、路径在 content/ 之外、指向草稿等。",
            ),
            Code::UnsafeLink => (
                "A link written so that it breaks the site: from the server root (`/x/`).",
                "链接写法会使站点失效：从服务器根目录开始（`/x/`）。",
            ),
            Code::ExternalLink => (
                "An http(s) link whose server says the page is not there, or does not answer (warning, `check --external`).",
                "外部链接的服务器表示页面不存在或无应答（警告，`check --external`）。",
            ),
            Code::TooDeep => (
                "Markdown nested deeper than `limits: nesting:`.",
                "Markdown 的嵌套超过 `limits: nesting:`。",
            ),
            Code::TooManyHeadings => (
                "More Markdown headings than `limits: headings:`.",
                "Markdown 的标题数量超过 `limits: headings:`。",
            ),
            Code::OutputTooLarge => (
                "The built site would pass `limits: output_mb:`.",
                "构建出的站点将超过 `limits: output_mb:`。",
            ),
            Code::Template => (
                "A template override in the site's theme folder that does not parse or render.",
                "站点主题文件夹中的覆盖模板无法解析或渲染。",
            ),
            Code::OutputClash => (
                "Two outputs for one path (a linked file in the place of a page).",
                "两个输出对应同一路径（链接的文件占了页面的位置等）。",
            ),
            Code::NotASite => (
                "The root holds no content/site.yaml, or does not exist: the wrong `--root`.",
                "根目录中没有 content/site.yaml，或根目录不存在：`--root` 有误。",
            ),
            Code::ReadFailed => (
                "A file or folder that cannot be read (permissions, a disk error).",
                "文件或文件夹无法读取（权限、磁盘错误等）。",
            ),
            Code::WriteFailed => (
                "A file or folder that cannot be written, created or moved (permissions, a full disk).",
                "文件或文件夹无法写入、创建或移动（权限、磁盘已满等）。",
            ),
            Code::OutputRefused => (
                "An output folder gongkai will not replace: not made by gongkai (without `--force`), or holding the site's content.",
                "gongkai 不会替换的输出文件夹：不是 gongkai 生成的（未加 `--force`），或其中有站点内容。",
            ),
            Code::OutputLocked => (
                "Another build holds the output folder's lock.",
                "另一个构建正持有输出文件夹的锁。",
            ),
            Code::InvalidEnvironment => (
                "`SOURCE_DATE_EPOCH` is set but is not a number of seconds in range.",
                "设置了 `SOURCE_DATE_EPOCH`，但它不是有效范围内的秒数。",
            ),
        }
    }
}

impl Key for Severity {}
impl Key for Code {}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One problem in one file, with where it is and the line it is on.
///
/// Made with [`Diagnostic::error`], [`Diagnostic::warning`], [`Diagnostic::at_path`] or
/// [`Diagnostic::warning_at_path`], each of which takes the problem's [`Code`] and its
/// message as a [`Text`] (both languages, see [`text!`]): a diagnostic without a code or
/// with one language missing does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem, stable across versions and languages.
    pub code: Code,
    /// The file, relative to the site root (as the publisher knows it).
    pub path: PathBuf,
    /// 1-based line and column in the file (not in the front-matter block).
    pub position: Position,
    /// What is wrong, in one sentence.
    pub message: Text,
    /// The source line the position is on, shown under the message.
    pub line_text: String,
    /// A hint such as "did you mean `jx-kjj`?".
    pub help: Option<Text>,
}

impl Diagnostic {
    /// An error at `position` of `file`.
    pub fn error(code: Code, file: &SourceFile, position: Position, message: Text) -> Self {
        Self::new(Severity::Error, code, file, position, message)
    }

    /// A warning at `position` of `file`.
    pub fn warning(code: Code, file: &SourceFile, position: Position, message: Text) -> Self {
        Self::new(Severity::Warning, code, file, position, message)
    }

    /// A problem about a whole file or folder that has no text to point into
    /// (unreadable file, missing `site.yaml`).
    pub fn at_path(code: Code, path: &Path, message: Text) -> Self {
        Self {
            severity: Severity::Error,
            code,
            path: path.to_path_buf(),
            position: Position::START,
            message,
            line_text: String::new(),
            help: None,
        }
    }

    /// A warning about a whole file that has no text to point into (a skipped symlink).
    pub fn warning_at_path(code: Code, path: &Path, message: Text) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::at_path(code, path, message)
        }
    }

    fn new(
        severity: Severity,
        code: Code,
        file: &SourceFile,
        position: Position,
        message: Text,
    ) -> Self {
        Self {
            severity,
            code,
            path: file.path.clone(),
            position,
            message,
            line_text: file.line_text(position.line).to_string(),
            help: None,
        }
    }

    /// Adds a hint shown after the source line.
    pub fn with_help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }

    /// Adds a hint if there is one (a "did you mean" that found nothing close).
    pub fn with_help_opt(mut self, help: Option<Text>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Whether this problem fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// This diagnostic as printed on a terminal in `lang`; `colour` adds ANSI styles
    /// (the caller decides whether the terminal wants them).
    pub fn render(&self, lang: Lang, colour: bool) -> Rendered<'_> {
        Rendered {
            diagnostic: self,
            lang,
            colour,
        }
    }
}

/// A [`Diagnostic`] being printed in one language, with or without colour.
pub struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    lang: Lang,
    colour: bool,
}

/// What the labels of a printed diagnostic say in each language.
fn labels(lang: Lang) -> (&'static str, &'static str, &'static str) {
    match lang {
        Lang::En => ("error", "warning", "help"),
        Lang::Zh => ("错误", "警告", "帮助"),
    }
}

impl fmt::Display for Rendered<'_> {
    /// `path:line:col: error[code]: message`, then the line with a caret, then the help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use anstyle::{AnsiColor, Style};
        let d = self.diagnostic;
        let paint = |style: Style| if self.colour { style } else { Style::new() };
        let (error, warning, help_label) = labels(self.lang);
        let (label, tone) = match d.severity {
            Severity::Error => (error, paint(AnsiColor::Red.on_default().bold())),
            Severity::Warning => (warning, paint(AnsiColor::Yellow.on_default().bold())),
        };
        let bold = paint(Style::new().bold());
        let blue = paint(AnsiColor::Blue.on_default().bold());
        let sep = match self.lang {
            Lang::En => ": ",
            Lang::Zh => "：",
        };
        write!(
            f,
            "{bold}{}:{}:{}{bold:#}: {tone}{label}[{}]{tone:#}{sep}{bold}{}{bold:#}",
            printable(&d.path.display().to_string()),
            d.position.line,
            d.position.column,
            d.code.key(),
            printable(d.message.get(self.lang))
        )?;
        if !d.line_text.is_empty() {
            let gutter = d.position.line.to_string();
            let pad = " ".repeat(gutter.len());
            // The caret counts characters of the line as written; an escaped control
            // character takes more columns, so pad by what is printed before it. A
            // Chinese character takes two columns of a terminal.
            let before: String = d
                .line_text
                .chars()
                .take(d.position.column.saturating_sub(1))
                .collect();
            let mut caret_indent = String::new();
            for c in printable(&before).chars() {
                caret_indent.push_str(match c {
                    '\t' => "\t",
                    c if is_wide(c) => "  ",
                    _ => " ",
                });
            }
            write!(
                f,
                "\n{blue}{pad} |{blue:#}\n{blue}{gutter} |{blue:#} {}\n{blue}{pad} |{blue:#} {caret_indent}{tone}^{tone:#}",
                printable(&d.line_text)
            )?;
        }
        if let Some(help) = &d.help {
            write!(
                f,
                "\n  {blue}= {help_label}{blue:#}{sep}{}",
                printable(help.get(self.lang))
            )?;
        }
        Ok(())
    }
}

/// Whether a terminal shows `c` two columns wide (CJK ideographs, full-width forms), so
/// the caret under a Chinese line lands under the right character.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115f}'
        | '\u{2e80}'..='\u{303e}'
        | '\u{3041}'..='\u{33ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{a000}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}'
        | '\u{20000}'..='\u{3fffd}')
}

impl fmt::Display for Diagnostic {
    /// In English, without colour: for logs and test failures.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(Lang::En, false).fmt(f)
    }
}

/// Text from content made safe for a terminal: control characters (ESC, BEL, NUL …) and
/// the bidirectional overrides that reorder what is shown are written as `\u{1b}`, so a
/// file cannot retitle, clear or disguise the publisher's terminal. Tabs stay.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Every problem found so far, in the order files were read.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Moves every problem of `other` into this list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any problem fails the build.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// What a run that found these problems exits with: 0 when nothing fails (warnings
    /// too, under `deny_warnings`), 2 when an error is the machine's ([`Class::Io`]), else 1.
    pub fn exit_code(&self, deny_warnings: bool) -> u8 {
        let failing = self.items.iter().filter(|d| d.is_error() || deny_warnings);
        failing
            .map(|d| d.code.class().exit_code())
            .max()
            .unwrap_or(0)
    }

    /// Every problem, errors and warnings.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    /// The errors' messages in `lang`, one a line: for a command that needs the site to
    /// load (`new`, `import`) and says why it does not, inside its own message.
    pub fn error_lines(&self, lang: Lang) -> String {
        self.errors()
            .map(|d| d.message.get(lang).to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by path, then position, so output does not depend on parallel scheduling.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.path, a.position, a.severity).cmp(&(&b.path, b.position, b.severity))
        });
        self.items.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// "missing required field `title`", pointing at the start of the file (a missing field
/// has no line of its own). The field is named as the schema writes it, in both languages.
pub fn missing_field(file: &SourceFile, field: &str) -> Diagnostic {
    Diagnostic::error(
        Code::MissingField,
        file,
        Position::START,
        text!("missing required field `{field}`", "缺少必填字段 `{field}`"),
    )
}

/// "unknown WHAT `value`" for a value outside a fixed list, suggesting the closest key
/// or, failing that, listing them all.
pub fn unknown_value(
    file: &SourceFile,
    position: Position,
    what: Text,
    value: &str,
    keys: &[&str],
) -> Diagnostic {
    let help = did_you_mean(value, keys.iter().copied()).unwrap_or_else(|| {
        text!(
            "use one of: {keys}",
            "可用的值：{keys}",
            keys = keys.join(", ")
        )
    });
    Diagnostic::error(
        Code::UnknownValue,
        file,
        position,
        text!(
            "unknown {en} `{value}`",
            "未知的{zh} `{value}`",
            en = what.en(),
            zh = what.zh()
        ),
    )
    .with_help(help)
}

/// The known id closest to `unknown`, if any is close enough to be a likely typo.
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in known {
        let score = strsim::normalized_damerau_levenshtein(unknown, candidate);
        let contains =
            !unknown.is_empty() && (candidate.contains(unknown) || unknown.contains(candidate));
        let score = if contains { score.max(0.7) } else { score };
        if best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.filter(|(score, _)| *score >= 0.5).map(|(_, c)| c)
}

/// "did you mean `x`?" for an unknown reference, if some known id is close.
pub fn did_you_mean<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<Text> {
    closest(unknown, known).map(|c| text!("did you mean `{c}`?", "是否应为 `{c}`？"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_id() {
        let known = ["jx-kjj", "lyg-kjj", "lyg-gov"];
        assert_eq!(closest("jx-kj", known), Some("jx-kjj"));
        assert_eq!(closest("lyg-gv", known), Some("lyg-gov"));
        assert_eq!(closest("zzzzzzzzz", known), None);
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let file = SourceFile::new(
            "content/units/a.yaml".into(),
            "parent: \u{1b}]0;pwned\u{7}\u{1b}[2J\n".into(),
        );
        let d = Diagnostic::error(
            Code::UnknownUnit,
            &file,
            Position { line: 1, column: 9 },
            text!(
                "unknown unit `{v}`",
                "未知单位 `{v}`",
                v = "\u{1b}]0;pwned\u{7}"
            ),
        );
        let text = d.to_string();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.contains("unknown unit `\\u{1b}]0;pwned\\u{7}`"),
            "{text}"
        );
        assert!(text.contains("1 | parent: \\u{1b}]0;pwned"), "{text}");
        assert_eq!(printable("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(printable("发布机构\t"), "发布机构\t");
    }

    #[test]
    fn renders_path_line_col_and_the_line() {
        let file = SourceFile::new(
            "notices/a.md".into(),
            "---\ntitle: x\nissuer: nobody\n".into(),
        );
        let d = Diagnostic::error(
            Code::UnknownUnit,
            &file,
            Position { line: 3, column: 9 },
            text!("unknown unit `{id}`", "未知单位 `{id}`", id = "nobody"),
        )
        .with_help_opt(did_you_mean("lyg-gv", ["lyg-gov"]));
        let text = d.to_string();
        assert!(
            text.starts_with("notices/a.md:3:9: error[unknown-unit]: unknown unit `nobody`"),
            "{text}"
        );
        assert!(text.contains("3 | issuer: nobody"));
        assert!(text.contains("  |         ^"), "{text}");
        assert!(text.ends_with("= help: did you mean `lyg-gov`?"), "{text}");
        let zh = d.render(Lang::Zh, false).to_string();
        assert!(
            zh.starts_with("notices/a.md:3:9: 错误[unknown-unit]：未知单位 `nobody`"),
            "{zh}"
        );
        assert!(zh.ends_with("= 帮助：是否应为 `lyg-gov`？"), "{zh}");
        assert!(!zh.contains('\u{1b}'), "no colour unless asked");
        assert!(d.render(Lang::En, true).to_string().contains("\u{1b}["));
    }

    #[test]
    fn the_caret_counts_a_chinese_character_as_two_columns() {
        let file = SourceFile::new("a.yaml".into(), "名称: 市科技局 x\n".into());
        let d = Diagnostic::error(
            Code::InvalidType,
            &file,
            Position { line: 1, column: 9 },
            text!("x", "x"),
        );
        // `名称: 市科技局` is 2+2+1+1+2+2+2+2 = 14 columns.
        assert!(
            d.to_string().contains(&format!("| {}^", " ".repeat(14))),
            "{d}"
        );
    }

    #[test]
    fn exit_codes_follow_the_class_of_the_worst_problem() {
        let file = SourceFile::new("a.md".into(), "x\n".into());
        let at = Position::START;
        let warning = Diagnostic::warning(Code::MissingSummary, &file, at, text!("w", "w"));
        let content = Diagnostic::error(Code::UnknownUnit, &file, at, text!("e", "e"));
        let io = Diagnostic::at_path(Code::WriteFailed, Path::new("public"), text!("io", "io"));
        let mut all = Diagnostics::new();
        assert_eq!(all.exit_code(false), 0);
        all.push(warning);
        assert_eq!(all.exit_code(false), 0);
        assert_eq!(all.exit_code(true), 1);
        all.push(content);
        assert_eq!(all.exit_code(false), 1);
        all.push(io);
        assert_eq!(all.exit_code(false), 2);
    }

    #[test]
    fn languages_follow_the_site_tag() {
        assert_eq!(Lang::of_tag("zh-CN"), Lang::Zh);
        assert_eq!(Lang::of_tag("zh-Hans"), Lang::Zh);
        assert_eq!(Lang::of_tag("zh"), Lang::Zh);
        assert_eq!(Lang::of_tag("en"), Lang::En);
        assert_eq!(Lang::of_tag("en-GB"), Lang::En);
        assert_eq!(Lang::of_tag("zhx"), Lang::En);
    }
}
