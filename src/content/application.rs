//! The 依申请公开 register (`content/applications/<id>.yaml`): one file per application
//! for information disclosure, kept only to be counted (the annual report's 表三) and to
//! have its answer deadline checked ([`crate::duties::deadlines`]).
//!
//! An application is never published: no page, search document or open-data record is
//! made of it. Its file holds no personal data — no names, phones or addresses — and
//! unknown fields are errors, so none can be added by mistake.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, missing_field, unknown_value};
use crate::enums::{Key, Label};
use crate::source::{Located, Position, SourceFile};
use crate::text;
use crate::time::located_date;

pub use super::ids::ApplicationId;

/// The derives every enum of the register shares (machine name = serde name, label =
/// strum message; see `src/enums.rs`).
macro_rules! register_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($body:tt)* }) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            Serialize,
            Deserialize,
            JsonSchema,
            strum::IntoStaticStr,
            strum::VariantArray,
            strum::EnumMessage,
        )]
        $(#[$meta])*
        pub enum $name { $($body)* }

        impl Key for $name {}
        impl Label for $name {}
    };
}

register_enum! {
    /// 申请人情况: the columns of 表三.
    #[serde(rename_all = "snake_case")]
    #[strum(serialize_all = "snake_case")]
    #[schemars(title = "申请人类型", description = "申请人类型：年度报告表三的列")]
    pub enum Applicant {
        /// 自然人.
        #[strum(message = "自然人")]
        #[schemars(title = Applicant::NaturalPerson.label(), description = "自然人")]
        NaturalPerson,
        /// 法人或其他组织：商业企业.
        #[strum(message = "商业企业")]
        #[schemars(title = Applicant::Business.label(), description = "法人或其他组织：商业企业")]
        Business,
        /// 法人或其他组织：科研机构.
        #[strum(message = "科研机构")]
        #[schemars(title = Applicant::Research.label(), description = "法人或其他组织：科研机构")]
        Research,
        /// 法人或其他组织：社会公益组织.
        #[strum(message = "社会公益组织")]
        #[schemars(title = Applicant::PublicInterest.label(), description = "法人或其他组织：社会公益组织")]
        PublicInterest,
        /// 法人或其他组织：法律服务机构.
        #[strum(message = "法律服务机构")]
        #[schemars(title = Applicant::LegalService.label(), description = "法人或其他组织：法律服务机构")]
        LegalService,
        /// 法人或其他组织：其他.
        #[strum(message = "其他")]
        #[schemars(title = Applicant::Other.label(), description = "法人或其他组织：其他")]
        Other,
    }
}

register_enum! {
    /// How the application came in (申请渠道).
    #[serde(rename_all = "snake_case")]
    #[strum(serialize_all = "snake_case")]
    #[schemars(title = "申请渠道", description = "申请渠道")]
    pub enum Channel {
        /// 网络.
        #[strum(message = "网络")]
        #[schemars(title = Channel::Online.label(), description = "网络（在线申请、电子邮件）")]
        Online,
        /// 信函.
        #[strum(message = "信函")]
        #[schemars(title = Channel::Letter.label(), description = "信函")]
        Letter,
        /// 当面.
        #[strum(message = "当面")]
        #[schemars(title = Channel::InPerson.label(), description = "当面")]
        InPerson,
        /// 传真.
        #[strum(message = "传真")]
        #[schemars(title = Channel::Fax.label(), description = "传真")]
        Fax,
        /// 其他.
        #[strum(message = "其他")]
        #[schemars(title = Channel::Other.label(), description = "其他")]
        Other,
    }
}

register_enum! {
    /// 办理结果: the rows of 表三 (三、本年度办理结果), keys as DESIGN writes them
    /// (`withheld/state_secret`): the part before `/` is the row group ([`OutcomeGroup`]).
    #[schemars(title = "办理结果", description = "办理结果：年度报告表三的行")]
    pub enum Outcome {
        /// 予以公开.
        #[serde(rename = "disclosed")]
        #[strum(serialize = "disclosed", message = "予以公开")]
        #[schemars(title = Outcome::Disclosed.label(), description = "予以公开")]
        Disclosed,
        /// 部分公开（区分处理的，只计这一情形，不计其他情形）.
        #[serde(rename = "partial")]
        #[strum(serialize = "partial", message = "部分公开")]
        #[schemars(title = Outcome::Partial.label(), description = "部分公开（区分处理的，只计这一情形，不计其他情形）")]
        Partial,
        /// 不予公开：属于国家秘密.
        #[serde(rename = "withheld/state_secret")]
        #[strum(serialize = "withheld/state_secret", message = "属于国家秘密")]
        #[schemars(title = Outcome::WithheldStateSecret.label(), description = "不予公开：属于国家秘密")]
        WithheldStateSecret,
        /// 不予公开：其他法律行政法规禁止公开.
        #[serde(rename = "withheld/law_prohibits")]
        #[strum(serialize = "withheld/law_prohibits", message = "其他法律行政法规禁止公开")]
        #[schemars(title = Outcome::WithheldLawProhibits.label(), description = "不予公开：其他法律行政法规禁止公开")]
        WithheldLawProhibits,
        /// 不予公开：危及“三安全一稳定”.
        #[serde(rename = "withheld/three_safety")]
        #[strum(serialize = "withheld/three_safety", message = "危及“三安全一稳定”")]
        #[schemars(title = Outcome::WithheldThreeSafety.label(), description = "不予公开：危及“三安全一稳定”")]
        WithheldThreeSafety,
        /// 不予公开：保护第三方合法权益.
        #[serde(rename = "withheld/third_party")]
        #[strum(serialize = "withheld/third_party", message = "保护第三方合法权益")]
        #[schemars(title = Outcome::WithheldThirdParty.label(), description = "不予公开：保护第三方合法权益")]
        WithheldThirdParty,
        /// 不予公开：属于三类内部事务信息.
        #[serde(rename = "withheld/internal_affairs")]
        #[strum(serialize = "withheld/internal_affairs", message = "属于三类内部事务信息")]
        #[schemars(title = Outcome::WithheldInternalAffairs.label(), description = "不予公开：属于三类内部事务信息")]
        WithheldInternalAffairs,
        /// 不予公开：属于四类过程性信息.
        #[serde(rename = "withheld/process")]
        #[strum(serialize = "withheld/process", message = "属于四类过程性信息")]
        #[schemars(title = Outcome::WithheldProcess.label(), description = "不予公开：属于四类过程性信息")]
        WithheldProcess,
        /// 不予公开：属于行政执法案卷.
        #[serde(rename = "withheld/enforcement_file")]
        #[strum(serialize = "withheld/enforcement_file", message = "属于行政执法案卷")]
        #[schemars(title = Outcome::WithheldEnforcementFile.label(), description = "不予公开：属于行政执法案卷")]
        WithheldEnforcementFile,
        /// 不予公开：属于行政查询事项.
        #[serde(rename = "withheld/inquiry")]
        #[strum(serialize = "withheld/inquiry", message = "属于行政查询事项")]
        #[schemars(title = Outcome::WithheldInquiry.label(), description = "不予公开：属于行政查询事项")]
        WithheldInquiry,
        /// 无法提供：本机关不掌握相关政府信息.
        #[serde(rename = "unavailable/not_held")]
        #[strum(serialize = "unavailable/not_held", message = "本机关不掌握相关政府信息")]
        #[schemars(title = Outcome::UnavailableNotHeld.label(), description = "无法提供：本机关不掌握相关政府信息")]
        UnavailableNotHeld,
        /// 无法提供：没有现成信息需要另行制作.
        #[serde(rename = "unavailable/needs_creation")]
        #[strum(serialize = "unavailable/needs_creation", message = "没有现成信息需要另行制作")]
        #[schemars(title = Outcome::UnavailableNeedsCreation.label(), description = "无法提供：没有现成信息需要另行制作")]
        UnavailableNeedsCreation,
        /// 无法提供：补正后申请内容仍不明确.
        #[serde(rename = "unavailable/unclear")]
        #[strum(serialize = "unavailable/unclear", message = "补正后申请内容仍不明确")]
        #[schemars(title = Outcome::UnavailableUnclear.label(), description = "无法提供：补正后申请内容仍不明确")]
        UnavailableUnclear,
        /// 不予处理：信访举报投诉类申请.
        #[serde(rename = "not_processed/petition")]
        #[strum(serialize = "not_processed/petition", message = "信访举报投诉类申请")]
        #[schemars(title = Outcome::NotProcessedPetition.label(), description = "不予处理：信访举报投诉类申请")]
        NotProcessedPetition,
        /// 不予处理：重复申请.
        #[serde(rename = "not_processed/repeated")]
        #[strum(serialize = "not_processed/repeated", message = "重复申请")]
        #[schemars(title = Outcome::NotProcessedRepeated.label(), description = "不予处理：重复申请")]
        NotProcessedRepeated,
        /// 不予处理：要求提供公开出版物.
        #[serde(rename = "not_processed/publication")]
        #[strum(serialize = "not_processed/publication", message = "要求提供公开出版物")]
        #[schemars(title = Outcome::NotProcessedPublication.label(), description = "不予处理：要求提供公开出版物")]
        NotProcessedPublication,
        /// 不予处理：无正当理由大量反复申请.
        #[serde(rename = "not_processed/mass_repeat")]
        #[strum(serialize = "not_processed/mass_repeat", message = "无正当理由大量反复申请")]
        #[schemars(title = Outcome::NotProcessedMassRepeat.label(), description = "不予处理：无正当理由大量反复申请")]
        NotProcessedMassRepeat,
        /// 不予处理：要求行政机关确认或重新出具已获取信息.
        #[serde(rename = "not_processed/confirm")]
        #[strum(serialize = "not_processed/confirm", message = "要求行政机关确认或重新出具已获取信息")]
        #[schemars(title = Outcome::NotProcessedConfirm.label(), description = "不予处理：要求行政机关确认或重新出具已获取信息")]
        NotProcessedConfirm,
        /// 其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请.
        #[serde(rename = "other/no_correction")]
        #[strum(serialize = "other/no_correction", message = "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")]
        #[schemars(title = Outcome::OtherNoCorrection.label(), description = "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")]
        OtherNoCorrection,
        /// 其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请.
        #[serde(rename = "other/no_fee")]
        #[strum(serialize = "other/no_fee", message = "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")]
        #[schemars(title = Outcome::OtherNoFee.label(), description = "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")]
        OtherNoFee,
        /// 其他处理：其他.
        #[serde(rename = "other/other")]
        #[strum(serialize = "other/other", message = "其他")]
        #[schemars(title = Outcome::OtherOther.label(), description = "其他处理：其他")]
        OtherOther,
    }
}

register_enum! {
    /// The row groups of 表三's 办理结果: what the part of an [`Outcome`] key before `/` names.
    #[serde(rename_all = "snake_case")]
    #[strum(serialize_all = "snake_case")]
    #[schemars(title = "办理结果分类", description = "办理结果分类")]
    pub enum OutcomeGroup {
        /// 予以公开.
        #[strum(message = "予以公开")]
        #[schemars(title = OutcomeGroup::Disclosed.label(), description = "予以公开")]
        Disclosed,
        /// 部分公开.
        #[strum(message = "部分公开")]
        #[schemars(title = OutcomeGroup::Partial.label(), description = "部分公开")]
        Partial,
        /// 不予公开.
        #[strum(message = "不予公开")]
        #[schemars(title = OutcomeGroup::Withheld.label(), description = "不予公开")]
        Withheld,
        /// 无法提供.
        #[strum(message = "无法提供")]
        #[schemars(title = OutcomeGroup::Unavailable.label(), description = "无法提供")]
        Unavailable,
        /// 不予处理.
        #[strum(message = "不予处理")]
        #[schemars(title = OutcomeGroup::NotProcessed.label(), description = "不予处理")]
        NotProcessed,
        /// 其他处理.
        #[strum(message = "其他处理")]
        #[schemars(title = OutcomeGroup::Other.label(), description = "其他处理")]
        Other,
    }
}

impl Outcome {
    /// The row group of 表三 this outcome counts in.
    pub fn group(self) -> OutcomeGroup {
        match self {
            Outcome::Disclosed => OutcomeGroup::Disclosed,
            Outcome::Partial => OutcomeGroup::Partial,
            Outcome::WithheldStateSecret
            | Outcome::WithheldLawProhibits
            | Outcome::WithheldThreeSafety
            | Outcome::WithheldThirdParty
            | Outcome::WithheldInternalAffairs
            | Outcome::WithheldProcess
            | Outcome::WithheldEnforcementFile
            | Outcome::WithheldInquiry => OutcomeGroup::Withheld,
            Outcome::UnavailableNotHeld
            | Outcome::UnavailableNeedsCreation
            | Outcome::UnavailableUnclear => OutcomeGroup::Unavailable,
            Outcome::NotProcessedPetition
            | Outcome::NotProcessedRepeated
            | Outcome::NotProcessedPublication
            | Outcome::NotProcessedMassRepeat
            | Outcome::NotProcessedConfirm => OutcomeGroup::NotProcessed,
            Outcome::OtherNoCorrection | Outcome::OtherNoFee | Outcome::OtherOther => {
                OutcomeGroup::Other
            }
        }
    }
}

/// One application as loaded: each date real and in order, the outcome there exactly
/// when the reply is.
#[derive(Debug, Clone)]
pub struct Application {
    /// File stem.
    pub id: ApplicationId,
    /// The file, for diagnostics.
    pub file: SourceFile,
    /// 收到申请之日 (条例 第三十一条).
    pub received: Located<Date>,
    /// 申请人类型.
    pub applicant: Applicant,
    /// 申请渠道.
    pub channel: Option<Channel>,
    /// 收到补正之日: the answer period runs from it (第三十条).
    pub corrected: Option<Located<Date>>,
    /// 延长答复期限 (第三十三条): 20 more working days.
    pub extended: bool,
    /// Working days of 征求第三方意见, not counted in the period (第三十二条).
    pub third_party_days: u32,
    /// 答复之日; `None` while the application is open.
    pub replied: Option<Located<Date>>,
    /// 办理结果, given exactly when `replied` is.
    pub outcome: Option<Outcome>,
}

impl Application {
    /// The day the answer period runs from: 补正 when there was one, else receipt.
    pub fn period_start(&self) -> &Located<Date> {
        self.corrected.as_ref().unwrap_or(&self.received)
    }

    /// Whether the application is still waiting for its answer on `day`: received by
    /// then and not replied by then (a reply dated later is not known yet on `day`).
    pub fn open_on(&self, day: Date) -> bool {
        self.received.value <= day && self.replied.as_ref().is_none_or(|r| r.value > day)
    }
}

/// An application file as written; its schema is generated from this struct.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Application",
    title = "依申请公开",
    description = "gongkai 依申请公开登记（content/applications/<id>.yaml）：只用于统计和期限提醒，从不发布；不得记录申请人姓名、电话、地址等个人信息"
)]
pub(crate) struct RawApplication {
    #[schemars(
        with = "crate::schema::Date",
        title = "收到申请日期",
        description = "收到申请之日（必填），YYYY-MM-DD（条例第三十一条）"
    )]
    received: Option<Spanned<String>>,
    #[schemars(
        with = "Applicant",
        title = "申请人类型",
        description = "申请人类型（必填）：natural_person 自然人 | business 商业企业 | research 科研机构 | public_interest 社会公益组织 | legal_service 法律服务机构 | other 其他"
    )]
    applicant: Option<Spanned<String>>,
    #[schemars(
        with = "Option<Channel>",
        title = "申请渠道",
        description = "申请渠道：online 网络 | letter 信函 | in_person 当面 | fax 传真 | other 其他"
    )]
    channel: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Date>",
        title = "收到补正日期",
        description = "收到补正之日，YYYY-MM-DD：答复期限自此起算（条例第三十条）"
    )]
    corrected: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(
        title = "延长答复期限",
        description = "延长答复期限：为 true 时期限为 40 个工作日（条例第三十三条）"
    )]
    extended: bool,
    #[schemars(
        with = "Option<u32>",
        title = "征求第三方意见工作日数",
        description = "征求第三方意见所用的工作日数，不计入答复期限（条例第三十二条），默认 0"
    )]
    third_party_days: Option<Spanned<i64>>,
    #[schemars(
        with = "Option<crate::schema::Date>",
        title = "答复日期",
        description = "答复之日，YYYY-MM-DD；不写表示尚未答复"
    )]
    replied: Option<Spanned<String>>,
    #[schemars(
        with = "Option<Outcome>",
        title = "办理结果",
        description = "办理结果（有答复日期时必填）：disclosed | partial | withheld/state_secret | withheld/law_prohibits | withheld/three_safety | withheld/third_party | withheld/internal_affairs | withheld/process | withheld/enforcement_file | withheld/inquiry | unavailable/not_held | unavailable/needs_creation | unavailable/unclear | not_processed/petition | not_processed/repeated | not_processed/publication | not_processed/mass_repeat | not_processed/confirm | other/no_correction | other/no_fee | other/other"
    )]
    outcome: Option<Spanned<String>>,
}

/// Reads an enum key of the register, reporting an unknown one at its place.
fn key<T: serde::de::DeserializeOwned + Key + strum::VariantArray>(
    file: &SourceFile,
    value: &Spanned<String>,
    what: crate::diagnostics::Text,
    errors: &mut Vec<Diagnostic>,
) -> Option<T> {
    let parsed = super::parse_key(&value.value);
    if parsed.is_none() {
        errors.push(unknown_value(
            file,
            Position::of(value),
            what,
            &value.value,
            &T::keys(),
        ));
    }
    parsed
}

/// Parses one application file; `id` comes from its stem. Returns the application only
/// when the file is entirely valid: an application is referred to by nothing, so a
/// broken one has nothing to keep checking.
pub fn parse(file: SourceFile, id: ApplicationId) -> (Option<Application>, Vec<Diagnostic>) {
    let raw: RawApplication = match file.parse_yaml(&file.text) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d]),
    };
    let mut errors = Vec::new();
    let date = |field: &Option<Spanned<String>>, errors: &mut Vec<Diagnostic>| {
        field.as_ref().and_then(|d| located_date(&file, d, errors))
    };
    let received = date(&raw.received, &mut errors);
    let corrected = date(&raw.corrected, &mut errors);
    let replied = date(&raw.replied, &mut errors);
    if raw.received.is_none() {
        errors.push(missing_field(&file, "received"));
    }
    let applicant = match &raw.applicant {
        None => {
            errors.push(missing_field(&file, "applicant"));
            None
        }
        Some(a) => key(&file, a, text!("applicant", "申请人类型"), &mut errors),
    };
    let channel = raw
        .channel
        .as_ref()
        .and_then(|c| key(&file, c, text!("channel", "申请渠道"), &mut errors));
    let outcome = raw
        .outcome
        .as_ref()
        .and_then(|o| key(&file, o, text!("outcome", "办理结果"), &mut errors));
    let third_party_days = third_party_days(&file, raw.third_party_days.as_ref(), &mut errors);
    if let Some(received) = &received {
        check_order(
            &file,
            received,
            corrected.as_ref(),
            replied.as_ref(),
            &mut errors,
        );
    }
    check_outcome(&file, &raw, &mut errors);
    let (Some(received), Some(applicant), true) = (received, applicant, errors.is_empty()) else {
        return (None, errors);
    };
    let application = Application {
        id,
        file,
        received,
        applicant,
        channel,
        corrected,
        extended: raw.extended,
        third_party_days,
        replied,
        outcome,
    };
    (Some(application), errors)
}

/// `third_party_days`: a whole number of working days, 0 or more.
fn third_party_days(
    file: &SourceFile,
    value: Option<&Spanned<i64>>,
    errors: &mut Vec<Diagnostic>,
) -> u32 {
    let Some(value) = value else {
        return 0;
    };
    match u32::try_from(value.value) {
        Ok(days) if days <= MAX_THIRD_PARTY_DAYS => days,
        _ => {
            errors.push(Diagnostic::error(
                Code::OutOfRange,
                file,
                Position::of(value),
                text!(
                    "third_party_days is {n}: it must be between 0 and {MAX_THIRD_PARTY_DAYS} working days",
                    "third_party_days 为 {n}：须在 0 到 {MAX_THIRD_PARTY_DAYS} 个工作日之间",
                    n = value.value
                ),
            ));
            0
        }
    }
}

/// More working days of 征求第三方意见 than any real case (about four years): a bound
/// that keeps the deadline's day-by-day count short whatever a file says.
pub const MAX_THIRD_PARTY_DAYS: u32 = 1000;

/// `received` ≤ `corrected` ≤ `replied`, and `received` ≤ `replied`: each pair out of
/// order is reported at the later field.
fn check_order(
    file: &SourceFile,
    received: &Located<Date>,
    corrected: Option<&Located<Date>>,
    replied: Option<&Located<Date>>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut before = |later: &Located<Date>, field: &str, earlier: Date, other: &str| {
        if later.value < earlier {
            errors.push(Diagnostic::error(
                Code::DateOrder,
                file,
                later.position,
                text!(
                    "{field} {later} is before {other} {earlier}",
                    "{field} {later} 早于 {other} {earlier}",
                    later = later.value
                ),
            ));
        }
    };
    if let Some(corrected) = corrected {
        before(corrected, "corrected", received.value, "received");
    }
    if let Some(replied) = replied {
        before(replied, "replied", received.value, "received");
        if let Some(corrected) = corrected
            && corrected.value >= received.value
        {
            before(replied, "replied", corrected.value, "corrected");
        }
    }
}

/// `outcome` is required with `replied` and forbidden without it: the report counts a
/// result only for an answered application.
fn check_outcome(file: &SourceFile, raw: &RawApplication, errors: &mut Vec<Diagnostic>) {
    match (&raw.replied, &raw.outcome) {
        (Some(replied), None) => errors.push(
            Diagnostic::error(
                Code::MissingField,
                file,
                Position::of(replied),
                text!(
                    "replied is given but outcome is missing",
                    "写了答复日期（replied）却缺少办理结果（outcome）"
                ),
            )
            .with_help(text!(
                "an application with `replied` needs its `outcome` (办理结果)",
                "有答复日期（replied）的申请必须写明办理结果（outcome）"
            )),
        ),
        (None, Some(outcome)) => errors.push(
            Diagnostic::error(
                Code::RequiresField,
                file,
                Position::of(outcome),
                text!(
                    "outcome is given but replied is not: an open application has no outcome yet",
                    "写了办理结果（outcome）却没有答复日期（replied）：尚未答复的申请没有办理结果"
                ),
            )
            .with_help(text!(
                "add `replied:` with the day of the answer, or remove outcome",
                "请加上答复日期 `replied:`，或删除 outcome"
            )),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    fn application(yaml: &str) -> Result<Application, Vec<Diagnostic>> {
        let id = ApplicationId::parse("2024-001").expect("id");
        let file = SourceFile::new("content/applications/2024-001.yaml".into(), yaml.into());
        match parse(file, id) {
            (Some(a), errors) if errors.is_empty() => Ok(a),
            (_, errors) => Err(errors),
        }
    }

    fn codes(errors: &[Diagnostic]) -> Vec<(Code, usize, usize)> {
        errors
            .iter()
            .map(|d| (d.code, d.position.line, d.position.column))
            .collect()
    }

    #[test]
    fn reads_a_full_application() {
        let a = application(
            "received: 2024-09-20\napplicant: natural_person\nchannel: online\n\
             corrected: 2024-09-25\nextended: true\nthird_party_days: 3\n\
             replied: 2024-10-15\noutcome: withheld/third_party\n",
        )
        .expect("valid application");
        assert_eq!(a.applicant, Applicant::NaturalPerson);
        assert_eq!(a.channel, Some(Channel::Online));
        assert_eq!(a.outcome, Some(Outcome::WithheldThirdParty));
        assert_eq!(a.outcome.map(Outcome::group), Some(OutcomeGroup::Withheld));
        assert_eq!(
            a.period_start().value,
            Date::new(2024, 9, 25).expect("date")
        );
        assert_eq!(a.third_party_days, 3);
        assert!(a.extended);
        assert!(a.open_on(Date::new(2024, 10, 14).expect("date")));
        assert!(!a.open_on(Date::new(2024, 10, 15).expect("date")));
        assert!(!a.open_on(Date::new(2024, 9, 19).expect("date")));
    }

    #[test]
    fn outcome_keys_are_the_slash_forms() {
        assert_eq!(
            Outcome::NotProcessedMassRepeat.key(),
            "not_processed/mass_repeat"
        );
        assert_eq!(
            crate::content::parse_key::<Outcome>("unavailable/needs_creation"),
            Some(Outcome::UnavailableNeedsCreation)
        );
        assert_eq!(Outcome::VARIANTS.len(), 21);
        assert!(Outcome::VARIANTS.iter().all(|o| {
            let group = o.key().split('/').next().unwrap_or_default();
            group == o.group().key()
        }));
    }

    #[test]
    fn personal_data_is_an_unknown_field() {
        let errors = application("received: 2024-09-20\napplicant: natural_person\nname: 张三\n")
            .expect_err("unknown field");
        assert_eq!(errors[0].code, Code::UnknownField);
        assert_eq!(errors[0].position.line, 3);
    }

    #[test]
    fn dates_must_be_in_order() {
        let errors = application(
            "received: 2024-09-20\napplicant: business\ncorrected: 2024-09-19\n\
             replied: 2024-09-18\noutcome: disclosed\n",
        )
        .expect_err("dates out of order");
        assert_eq!(
            codes(&errors),
            [(Code::DateOrder, 3, 12), (Code::DateOrder, 4, 10)]
        );
        let errors = application(
            "received: 2024-09-20\napplicant: business\ncorrected: 2024-10-09\n\
             replied: 2024-10-08\noutcome: disclosed\n",
        )
        .expect_err("reply before the correction");
        assert_eq!(codes(&errors), [(Code::DateOrder, 4, 10)]);
        assert!(
            errors[0]
                .message
                .en()
                .contains("before corrected 2024-10-09")
        );
    }

    #[test]
    fn outcome_goes_with_replied() {
        let errors =
            application("received: 2024-09-20\napplicant: research\nreplied: 2024-10-08\n")
                .expect_err("no outcome");
        assert_eq!(errors[0].code, Code::MissingField);
        let errors = application("received: 2024-09-20\napplicant: research\noutcome: partial\n")
            .expect_err("no reply");
        assert_eq!(codes(&errors), [(Code::RequiresField, 3, 10)]);
    }

    #[test]
    fn values_are_checked() {
        let errors = application(
            "received: 2024-02-30\napplicant: person\nchannel: email\n\
             third_party_days: -1\noutcome: withheld/secret\n",
        )
        .expect_err("bad values");
        let found = codes(&errors);
        for expected in [
            (Code::InvalidDate, 1, 11),
            (Code::UnknownValue, 2, 12),
            (Code::UnknownValue, 3, 10),
            (Code::OutOfRange, 4, 19),
            (Code::UnknownValue, 5, 10),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
        let missing = application("channel: online\n").expect_err("missing fields");
        let messages: Vec<_> = missing.iter().map(|d| d.message.en()).collect();
        assert!(messages.contains(&"missing required field `received`"));
        assert!(messages.contains(&"missing required field `applicant`"));
    }
}
