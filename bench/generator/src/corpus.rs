//! The corpus: a fictional city's registry of units, the plan of N notices (dates,
//! issuers, 索引号, links) and their Chinese text, written as [`crate::content`] files.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use jiff::Span;
use jiff::civil::{Date, Weekday};

use crate::content::UnitKind::{
    Agency, Collective, Court, Customs, Department, District, Government, Other, Procuratorate,
};
use crate::content::{self, Issuer, NoticeFront, SiteFile, UnitFile, UnitKind, Validity};
use crate::{Result, write_file};

/// The one seed of the corpus.
const SEED: u64 = 0x6e6f_6e67_6b61_6931;
/// The fictional city every name is built on (a real city's name would pass the
/// generated documents off as its own).
const CITY: &str = "江海市";
/// The site's *as of*; the last generated date leaves a margin before it.
const AS_OF: (i16, i8, i8) = (2024, 12, 31);

// ---------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------

/// SplitMix64: tiny, fast, good enough for text and fully reproducible.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for item `n` of the corpus.
    fn stream(n: u64) -> Rng {
        let mut mixer = Rng(SEED ^ n.wrapping_mul(0xa076_1d64_78bd_642f));
        Rng(mixer.next_u64())
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// `k` distinct items in their list order.
    fn distinct<'a>(&mut self, items: &[&'a str], k: usize) -> Vec<&'a str> {
        let mut chosen = BTreeSet::new();
        while chosen.len() < k.min(items.len()) {
            chosen.insert(self.below(items.len()));
        }
        chosen.into_iter().map(|i| items[i]).collect()
    }
}

// ---------------------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------------------

/// One entry of the registry: name (without the city), short name, aliases, kind,
/// whether it hangs under the city government, prefix of its 文号 (empty: never issues).
struct UnitSpec {
    name: &'static str,
    short: &'static str,
    aliases: &'static [&'static str],
    kind: UnitKind,
    child_of_gov: bool,
    doc_prefix: &'static str,
}

const fn unit(
    name: &'static str,
    short: &'static str,
    kind: UnitKind,
    doc_prefix: &'static str,
) -> UnitSpec {
    UnitSpec {
        name,
        short,
        aliases: &[],
        kind,
        child_of_gov: matches!(kind, UnitKind::Department),
        doc_prefix,
    }
}

const fn aka(mut spec: UnitSpec, aliases: &'static [&'static str]) -> UnitSpec {
    spec.aliases = aliases;
    spec
}

const fn under_gov(mut spec: UnitSpec) -> UnitSpec {
    spec.child_of_gov = true;
    spec
}

/// The registry, `u-000` first. Names are prefixed with [`CITY`] unless they start with 各/联.
const UNITS: &[UnitSpec] = &[
    unit("人民政府", "市政府", Government, "江政发"),
    under_gov(unit(
        "人民政府办公室",
        "市政府办公室",
        Government,
        "江政办发",
    )),
    unit("发展和改革委员会", "市发改委", Department, "江发改"),
    unit("工业和信息化局", "市工信局", Department, "江工信"),
    unit("教育局", "市教育局", Department, "江教发"),
    aka(
        unit("科学技术局", "市科技局", Department, "江科发"),
        &["市科委"],
    ),
    unit("公安局", "市公安局", Department, "江公发"),
    unit("民政局", "市民政局", Department, "江民发"),
    unit("司法局", "市司法局", Department, "江司发"),
    unit("财政局", "市财政局", Department, "江财发"),
    unit("人力资源和社会保障局", "市人社局", Department, "江人社发"),
    unit(
        "自然资源和规划局",
        "市自然资源和规划局",
        Department,
        "江自然资规",
    ),
    unit("生态环境局", "市生态环境局", Department, "江环发"),
    unit("住房和城乡建设局", "市住建局", Department, "江建发"),
    unit("交通运输局", "市交通运输局", Department, "江交发"),
    unit("水利局", "市水利局", Department, "江水发"),
    aka(
        unit("农业农村局", "市农业农村局", Department, "江农发"),
        &["市农委"],
    ),
    unit("商务局", "市商务局", Department, "江商发"),
    aka(
        unit("文化广电和旅游局", "市文广旅局", Department, "江文旅发"),
        &["市版权局", "市文广新局"],
    ),
    unit("卫生健康委员会", "市卫健委", Department, "江卫发"),
    unit("退役军人事务局", "市退役军人事务局", Department, "江退役发"),
    unit("应急管理局", "市应急局", Department, "江应急发"),
    unit("审计局", "市审计局", Department, "江审发"),
    unit(
        "人民政府国有资产监督管理委员会",
        "市国资委",
        Department,
        "江国资发",
    ),
    aka(
        unit("市场监督管理局", "市市场监管局", Department, "江市监发"),
        &["市工商局", "市质监局", "市知识产权局"],
    ),
    unit("统计局", "市统计局", Department, "江统发"),
    unit("医疗保障局", "市医保局", Department, "江医保发"),
    unit("城市管理局", "市城管局", Department, "江城管发"),
    unit("地方金融监督管理局", "市金融监管局", Department, "江金监发"),
    aka(
        unit("政务服务管理办公室", "市政务办", Department, "江政务办发"),
        &["市行政审批局"],
    ),
    unit("大数据管理局", "市大数据局", Department, "江数据发"),
    unit("人民政府外事办公室", "市外办", Department, "江外办发"),
    unit("人民政府法制办公室", "市法制办", Department, "江府法发"),
    unit("中级人民法院", "市中院", Court, "江中法"),
    unit("人民检察院", "市检察院", Procuratorate, "江检发"),
    unit("海关", "江海海关", Customs, "江关发"),
    under_gov(unit(
        "经济技术开发区管理委员会",
        "江海经开区管委会",
        Agency,
        "江开管发",
    )),
    under_gov(unit(
        "高新技术产业开发区管理委员会",
        "江海高新区管委会",
        Agency,
        "江高管发",
    )),
    unit("公共资源交易中心", "市公共资源交易中心", Agency, ""),
    unit("知识产权保护中心", "市知识产权保护中心", Agency, "江知保发"),
    unit("生产力促进中心", "市生产力促进中心", Agency, ""),
    unit("科学技术协会", "市科协", Other, "江科协发"),
    unit("总工会", "市总工会", Other, "江工发"),
    unit("工商业联合会", "市工商联", Other, "江工商联"),
    unit("贸促会", "市贸促会", Other, ""),
    aka(
        unit("委宣传部", "市委宣传部", Other, "江宣发"),
        &["市新闻出版局"],
    ),
    unit("委组织部", "市委组织部", Other, "江组发"),
    under_gov(unit("城东区人民政府", "城东区政府", District, "东政发")),
    under_gov(unit("城西区人民政府", "城西区政府", District, "西政发")),
    under_gov(unit("临港区人民政府", "临港区政府", District, "港政发")),
    under_gov(unit("江北区人民政府", "江北区政府", District, "北政发")),
    under_gov(unit("南湖县人民政府", "南湖县政府", District, "南政发")),
    under_gov(unit("清河县人民政府", "清河县政府", District, "清政发")),
    under_gov(unit("白沙县人民政府", "白沙县政府", District, "白政发")),
    under_gov(unit("云台县人民政府", "云台县政府", District, "云政发")),
    under_gov(unit("东海市人民政府", "东海市政府", District, "东海政发")),
    unit(
        "各县（市、区）人民政府",
        "各县（市、区）政府",
        Collective,
        "",
    ),
    unit("各有关单位", "各有关单位", Collective, ""),
    unit("联席会议各成员单位", "各成员单位", Collective, ""),
    unit("市各有关部门", "市各有关部门", Collective, ""),
];

/// The units that issue most notices (ids), as in a real portal's long tail.
const FREQUENT_ISSUERS: &[usize] = &[0, 1, 5, 24, 9, 18];

fn unit_id(ix: usize) -> String {
    format!("u-{ix:03}")
}

fn unit_full_name(spec: &UnitSpec) -> String {
    if spec.kind == UnitKind::Collective {
        spec.name.to_string()
    } else if spec.name.starts_with('委') {
        format!("中共{CITY}{}", spec.name)
    } else if spec.kind == UnitKind::Customs {
        format!("江海{}", spec.name)
    } else {
        format!("{CITY}{}", spec.name)
    }
}

fn unit_file(spec: &UnitSpec) -> UnitFile {
    UnitFile {
        name: unit_full_name(spec),
        short_name: (spec.short != spec.name).then_some(spec.short),
        aliases: spec.aliases,
        kind: spec.kind,
        parent: spec.child_of_gov.then(|| unit_id(0)),
    }
}

/// Organisation codes of the units (the part of 索引号 before `/`), unique.
fn org_codes(rng: &mut Rng) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut codes = Vec::with_capacity(UNITS.len());
    while codes.len() < UNITS.len() {
        let digits = rng.below(100_000_000);
        let code = if rng.chance(40) {
            format!("k{digits:08}")
        } else {
            format!("{digits:08}{}", rng.below(10))
        };
        if seen.insert(code.clone()) {
            codes.push(code);
        }
    }
    codes
}

// ---------------------------------------------------------------------------------------
// The plan: metadata of every notice, decided before any text is written
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Genre {
    Notice,
    Announcement,
    Opinion,
    Measures,
    Decision,
}

impl Genre {
    fn label(self) -> &'static str {
        match self {
            Genre::Notice => "通知",
            Genre::Announcement => "公告",
            Genre::Opinion => "意见",
            Genre::Measures => "办法",
            Genre::Decision => "决定",
        }
    }
}

struct PlannedNotice {
    index_no: String,
    date: Date,
    issuers: Vec<usize>,
    doc_seq: usize,
    genre: Genre,
    validity: Validity,
    supersedes: Vec<usize>,
    related: Vec<usize>,
}

fn civil(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).expect("a literal calendar date")
}

fn add_days(date: Date, days: i64) -> Result<Date> {
    date.checked_add(Span::new().days(days))
        .map_err(|e| format!("date arithmetic: {e}"))
}

/// Moves weekend dates to the nearest workday: documents are signed on workdays.
fn workday(date: Date) -> Result<Date> {
    match date.weekday() {
        Weekday::Saturday => add_days(date, -1),
        Weekday::Sunday => add_days(date, 1),
        _ => Ok(date),
    }
}

fn plan(n: usize, codes: &[String]) -> Result<Vec<PlannedNotice>> {
    let mut rng = Rng::new(SEED);
    let first = civil(2005, 1, 4);
    // Leave a margin before *as of* so that 发布日期 never lies in the future.
    let last = civil(2024, 12, 20);
    let span_days = (last - first).get_days().max(1) as usize;
    let mut dates = (0..n)
        .map(|_| workday(add_days(first, rng.below(span_days) as i64)?))
        .collect::<Result<Vec<_>>>()?;
    dates.sort();

    let issuers_pool: Vec<usize> = (0..UNITS.len())
        .filter(|&i| !UNITS[i].doc_prefix.is_empty() && UNITS[i].kind != UnitKind::Collective)
        .collect();
    let mut seq: HashMap<(usize, i16), usize> = HashMap::new();
    let mut by_issuer: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut notices: Vec<PlannedNotice> = Vec::with_capacity(n);
    for (i, &date) in dates.iter().enumerate() {
        let lead = if rng.chance(55) {
            FREQUENT_ISSUERS[rng.below(FREQUENT_ISSUERS.len())]
        } else {
            issuers_pool[rng.below(issuers_pool.len())]
        };
        let mut issuers = vec![lead];
        if rng.chance(10) {
            let mut partner = issuers_pool[rng.below(issuers_pool.len())];
            while partner == lead {
                partner = issuers_pool[rng.below(issuers_pool.len())];
            }
            issuers.push(partner);
        }
        let counter = seq.entry((lead, date.year())).or_default();
        *counter += 1;
        let index_no = format!("{}/{}-{:05}", codes[lead], date.year(), *counter);
        let genre = match rng.below(100) {
            0..45 => Genre::Notice,
            45..60 => Genre::Announcement,
            60..75 => Genre::Opinion,
            75..90 => Genre::Measures,
            _ => Genre::Decision,
        };
        let validity = match rng.below(100) {
            0..85 => Validity::Effective,
            85..90 => Validity::Expired,
            90..94 => Validity::Repealed,
            94..97 => Validity::PartiallyExpired,
            _ => Validity::Amended,
        };
        let earlier = by_issuer.entry(lead).or_default();
        let mut supersedes = Vec::new();
        if i >= 10 && !earlier.is_empty() && rng.chance(4) {
            // The issuer replaces one of its own recent documents.
            let window = earlier.len().min(40);
            supersedes.push(earlier[earlier.len() - 1 - rng.below(window)]);
        }
        earlier.push(i);
        let mut related = Vec::new();
        if i >= 2 && rng.chance(8) {
            for _ in 0..rng.range(1, 2) {
                let lo = i.saturating_sub(300);
                let target = rng.range(lo, i - 1);
                if !related.contains(&target) && !supersedes.contains(&target) {
                    related.push(target);
                }
            }
        }
        notices.push(PlannedNotice {
            index_no,
            date,
            issuers,
            doc_seq: *counter,
            genre,
            validity,
            supersedes,
            related,
        });
    }
    // A superseded notice is declared repealed or amended by its publisher.
    for i in 0..notices.len() {
        for j in notices[i].supersedes.clone() {
            notices[j].validity = if rng.chance(70) {
                Validity::Repealed
            } else {
                Validity::Amended
            };
        }
    }
    Ok(notices)
}

// ---------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------

const SUBJECTS: &[&str] = &[
    "各成员单位",
    "各县（市、区）人民政府",
    "市各有关部门",
    "联席会议办公室",
    "各责任单位",
    "各级知识产权管理部门",
    "市有关部门和单位",
    "各牵头单位",
    "各园区管委会",
];
const ADVERBS: &[&str] = &[
    "切实",
    "进一步",
    "着力",
    "持续",
    "全面",
    "认真",
    "积极",
    "统筹",
    "扎实",
];
const VERBS: &[&str] = &[
    "加强", "完善", "健全", "推进", "深化", "落实", "强化", "建立", "优化", "提升", "规范", "推动",
];
const OBJECTS: &[&str] = &[
    "知识产权保护体系",
    "联席会议制度",
    "专项资金管理",
    "行政执法协作机制",
    "专利导航工作",
    "商标品牌培育",
    "版权保护工作",
    "信息报送制度",
    "考核评价机制",
    "知识产权公共服务平台",
    "知识产权质押融资",
    "侵权假冒商品查处",
    "企业知识产权管理规范贯标",
    "知识产权人才队伍建设",
    "重大经济科技活动知识产权评议",
    "跨部门案件移送机制",
    "知识产权宣传培训",
    "地理标志产品保护",
    "高价值专利培育",
    "知识产权纠纷多元化解",
    "行政执法与刑事司法衔接",
    "政府信息公开工作",
    "科技成果转移转化",
    "中小企业创新服务",
];
const GOALS: &[&str] = &[
    "确保各项工作任务落到实处",
    "形成工作合力",
    "营造良好的创新环境和营商环境",
    "提高全社会知识产权意识",
    "为建设创新型城市提供有力支撑",
    "推动经济社会高质量发展",
    "切实维护权利人和消费者合法权益",
    "不断提升知识产权创造、运用、保护、管理和服务水平",
    "做到守土有责、守土尽责",
];
const BASES: &[&str] = &[
    "《中华人民共和国专利法》",
    "《中华人民共和国商标法》",
    "《中华人民共和国著作权法》",
    "《国家知识产权战略纲要》",
    "《中华人民共和国政府信息公开条例》",
    "《省知识产权促进条例》",
    "市委、市政府有关决策部署",
    "上级有关文件精神",
    "《国务院关于新形势下加快知识产权强国建设的若干意见》",
];
const METRICS: &[(&str, &str)] = &[
    ("发明专利拥有量", "件"),
    ("有效注册商标", "件"),
    ("知识产权质押融资额", "亿元"),
    ("知识产权专项资金投入", "万元"),
    ("通过知识产权管理规范贯标的企业", "家"),
    ("知识产权服务机构", "家"),
    ("作品登记量", "件"),
];
const VIOLATIONS: &[&str] = &[
    "假冒他人专利",
    "侵犯注册商标专用权",
    "未经许可复制发行他人作品",
    "骗取专项资金",
    "虚报、瞒报统计数据",
];
const TOPICS: &[&str] = &[
    "科技、教育/知识产权",
    "科技、教育/科技",
    "财政、金融、审计/财政",
    "工业、交通/信息产业",
    "商贸、海关、旅游/市场监管",
    "公安、安全、司法/司法",
    "综合政务/政务公开",
    "文化、广电、新闻出版/版权",
    "农业、林业、水利/农业",
    "劳动、人事、监察/人才",
];
const KEYWORDS: &[&str] = &[
    "知识产权",
    "联席会议",
    "专利",
    "商标",
    "版权",
    "专项资金",
    "行政执法",
    "质押融资",
    "贯标",
    "地理标志",
    "成员单位",
    "工作制度",
    "考核",
    "科技创新",
    "政务公开",
    "打击侵权假冒",
    "人才培养",
    "专利导航",
    "公共服务",
    "示范城市",
];
const THEMES: &[&str] = &[
    "知识产权强市建设",
    "专利资助",
    "知识产权质押融资",
    "商标品牌战略",
    "知识产权行政执法",
    "知识产权联席会议",
    "版权保护",
    "科技创新券",
    "高新技术企业培育",
    "知识产权公共服务",
    "地理标志保护",
    "打击侵犯知识产权和制售假冒伪劣商品",
    "政务公开",
    "知识产权人才培养",
    "专利导航产业发展",
    "知识产权运营服务体系建设",
];
const PLAN_KINDS: &[&str] = &[
    "实施方案",
    "工作要点",
    "管理办法",
    "实施细则",
    "工作规则",
    "考核办法",
    "三年行动计划",
];
const SECTION_SETS: &[&[&str]] = &[
    &["总体要求", "主要任务", "保障措施", "工作要求"],
    &["指导思想", "基本原则", "工作目标", "重点任务", "组织保障"],
    &["工作目标", "工作内容", "实施步骤", "工作要求"],
    &["主要职责", "成员单位", "工作规则", "工作要求", "联络员制度"],
    &["背景情况", "主要内容", "进度安排", "保障措施", "其他事项"],
];
const ITEM_HEADS: &[&str] = &[
    "加强组织领导",
    "强化协调配合",
    "加大资金投入",
    "严格督查考核",
    "加强宣传引导",
    "健全工作机制",
    "强化信息报送",
    "注重队伍建设",
];
const CHAPTERS: &[&str] = &[
    "总则",
    "职责分工",
    "申请与审核",
    "资金管理",
    "监督检查",
    "法律责任",
    "附则",
];

const CN_DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1 → 一, 12 → 十二, 40 → 四十, 99 → 九十九 (1..=999).
fn cn(n: usize) -> String {
    let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s.push_str(CN_DIGITS[h]);
        s.push('百');
        if t == 0 && u > 0 {
            s.push('零');
        }
    }
    if t > 0 {
        if !(t == 1 && h == 0) {
            s.push_str(CN_DIGITS[t]);
        }
        s.push('十');
    }
    s.push_str(CN_DIGITS[u]);
    s
}

fn chinese_date(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

// ---------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------

struct Writer<'a> {
    rng: Rng,
    year: i16,
    short_names: &'a [&'a str],
    out: String,
    last_template: usize,
}

impl Writer<'_> {
    fn verb_object(&mut self) -> String {
        format!("{}{}", self.rng.pick(VERBS), self.rng.pick(OBJECTS))
    }

    fn sentence(&mut self) -> String {
        // Never the same template twice in a row: real prose does not repeat itself so.
        // Template 1 has twice the weight of the others (0 maps to it).
        let mut template = self.rng.below(9).max(1);
        while template == self.last_template {
            template = self.rng.below(9).max(1);
        }
        self.last_template = template;
        let r = &mut self.rng;
        match template {
            1 => format!(
                "{}要{}{}{}，{}{}，{}。",
                r.pick(SUBJECTS),
                r.pick(ADVERBS),
                r.pick(VERBS),
                r.pick(OBJECTS),
                r.pick(VERBS),
                r.pick(OBJECTS),
                r.pick(GOALS)
            ),
            2 => format!(
                "根据{}，结合本市实际，{}{}{}。",
                r.pick(BASES),
                r.pick(ADVERBS),
                r.pick(VERBS),
                r.pick(OBJECTS)
            ),
            3 => {
                let objects = r.distinct(OBJECTS, 3);
                format!(
                    "{}应当按照职责分工，{}做好{}、{}和{}等工作，{}。",
                    r.pick(SUBJECTS),
                    r.pick(ADVERBS),
                    objects[0],
                    objects[1],
                    objects[2],
                    r.pick(GOALS)
                )
            }
            4 => {
                let (metric, unit) = METRICS[r.below(METRICS.len())];
                let year = i32::from(self.year) + r.range(1, 5) as i32;
                format!(
                    "到{year}年，全市{metric}达到{}{unit}以上，年均增长{}%以上。",
                    r.range(3, 120) * 50,
                    r.range(5, 20)
                )
            }
            5 => format!(
                "对{}的，由{}依法予以查处；构成犯罪的，依法移送司法机关追究刑事责任。",
                r.pick(VIOLATIONS),
                r.pick(self.short_names)
            ),
            6 => format!(
                "{}应于每年{}月底前将{}情况报送联席会议办公室，联席会议办公室汇总后报市政府。",
                r.pick(SUBJECTS),
                r.range(1, 12),
                r.pick(OBJECTS)
            ),
            7 => {
                let objects = r.distinct(OBJECTS, 3);
                format!(
                    "市财政每年安排专项资金{}万元，主要用于{}、{}和{}，专款专用，任何单位不得截留、挪用。",
                    r.range(5, 300) * 10,
                    objects[0],
                    objects[1],
                    objects[2]
                )
            }
            _ => format!(
                "联席会议原则上每年召开{}次全体会议，由召集人或召集人委托的副召集人主持；根据工作需要，可以召开专题会议，研究{}等重大问题。",
                r.range(1, 2),
                r.pick(OBJECTS)
            ),
        }
    }

    fn paragraph(&mut self) {
        for _ in 0..self.rng.range(2, 4) {
            let s = self.sentence();
            self.out.push_str(&s);
        }
        self.out.push_str("\n\n");
    }

    /// `（一）加强组织领导。` followed by one or two sentences.
    fn item(&mut self, n: usize) {
        let head = if self.rng.chance(50) {
            self.rng.pick(ITEM_HEADS).to_string()
        } else {
            self.verb_object()
        };
        self.out.push_str(&format!("（{}）{head}。", cn(n)));
        for _ in 0..self.rng.range(1, 2) {
            let s = self.sentence();
            self.out.push_str(&s);
        }
        self.out.push_str("\n\n");
    }

    fn deadline(&mut self) -> String {
        let year = i32::from(self.year) + self.rng.below(3) as i32;
        match self.rng.below(5) {
            0 => "长期坚持".to_string(),
            1 => format!("{year}年年底前"),
            2 => format!("{year}年第{}季度", cn(self.rng.range(1, 4))),
            _ => format!("{year}年{}月底前", self.rng.range(1, 12)),
        }
    }

    fn table(&mut self) {
        self.out.push_str("具体任务分工如下：\n\n");
        self.out
            .push_str("| 序号 | 工作内容 | 责任单位 | 完成时限 |\n| --- | --- | --- | --- |\n");
        for row in 1..=self.rng.range(3, 10) {
            let verb = self.rng.pick(VERBS);
            let object = self.rng.pick(OBJECTS);
            let tail = if object.ends_with("工作") || !self.rng.chance(30) {
                ""
            } else {
                "工作"
            };
            let content = format!("{verb}{object}{tail}");
            let k = self.rng.range(1, 3);
            let units = self.rng.distinct(self.short_names, k);
            let owner = if units.len() > 1 {
                format!("{}（牵头）、{}", units[0], units[1..].join("、"))
            } else {
                units[0].to_string()
            };
            let deadline = self.deadline();
            self.out
                .push_str(&format!("| {row} | {content} | {owner} | {deadline} |\n"));
        }
        self.out.push('\n');
    }
}

/// Title of a notice, from its genre, issuer and year.
fn title(rng: &mut Rng, genre: Genre, issuer_short: &str, year: i16) -> String {
    let theme = rng.pick(THEMES);
    match genre {
        Genre::Notice => match rng.below(4) {
            0 => format!(
                "{issuer_short}关于印发《{CITY}{theme}{}》的通知",
                rng.pick(PLAN_KINDS)
            ),
            1 => format!("{issuer_short}关于开展{year}年{theme}专项行动的通知"),
            2 => format!("{issuer_short}关于做好{year}年度{theme}工作的通知"),
            _ => format!("{issuer_short}关于调整{CITY}{theme}工作领导小组成员的通知"),
        },
        Genre::Announcement => format!(
            "{issuer_short}关于{year}年度{theme}{}的公告",
            rng.pick(&["拟资助项目", "评审结果", "示范单位名单", "专项资金申报"])
        ),
        Genre::Opinion => format!(
            "{issuer_short}关于{}{theme}的{}",
            rng.pick(&["加快", "进一步加强", "深入推进", "全面推进"]),
            rng.pick(&["意见", "实施意见", "指导意见"])
        ),
        Genre::Measures => format!(
            "{CITY}{theme}{}",
            rng.pick(&["管理办法", "实施办法", "资助办法", "暂行办法"])
        ),
        Genre::Decision => match rng.below(3) {
            0 => format!("{issuer_short}关于表彰{year}年度{theme}工作先进集体和先进个人的决定"),
            1 => format!("{issuer_short}关于废止和修改部分规范性文件的决定"),
            _ => format!("{issuer_short}关于修改《{CITY}{theme}管理办法》的决定"),
        },
    }
}

/// The Markdown body, about `target` bytes long.
fn body(w: &mut Writer<'_>, genre: Genre, signer: &str, date: Date, target: usize) {
    let with_table = w.rng.chance(20);
    if genre == Genre::Measures {
        // 办法: chapters of numbered articles.
        let chapters = w.rng.range(3, CHAPTERS.len());
        let mut article = 0;
        for (c, chapter) in CHAPTERS[..chapters].iter().enumerate() {
            let budget = (target.saturating_sub(w.out.len())) / (chapters - c);
            let start = w.out.len();
            w.out
                .push_str(&format!("## 第{}章　{chapter}\n\n", cn(c + 1)));
            while w.out.len() - start < budget.max(1) {
                article += 1;
                let s = w.sentence();
                w.out.push_str(&format!("**第{}条**　{s}", cn(article)));
                if w.rng.chance(40) {
                    let s = w.sentence();
                    w.out.push_str(&s);
                }
                w.out.push_str("\n\n");
            }
            if with_table && c == 1 {
                w.table();
            }
        }
        w.out.push_str(&format!(
            "**第{}条**　本办法自{}起施行。\n",
            cn(article + 1),
            chinese_date(date)
        ));
        return;
    }

    let addressee = w.rng.pick(&[
        "各县（市、区）人民政府，市各委、办、局，市各直属单位：",
        "联席会议各成员单位：",
        "各有关单位：",
        "各县（市、区）科技局、市场监管局，各有关单位：",
    ]);
    if genre != Genre::Announcement {
        w.out.push_str(addressee);
        w.out.push_str("\n\n");
    }
    let base = w.rng.pick(BASES);
    let adverb = w.rng.pick(ADVERBS);
    let aim = w.verb_object();
    w.out.push_str(&format!(
        "为深入贯彻落实{base}，{adverb}{aim}，经研究，现就有关事项{}如下：\n\n",
        match genre {
            Genre::Notice => "通知",
            Genre::Announcement => "公告",
            Genre::Opinion => "提出意见",
            _ => "决定",
        }
    ));
    let sections = SECTION_SETS[w.rng.below(SECTION_SETS.len())];
    let table_at = w.rng.below(sections.len());
    for (s, heading) in sections.iter().enumerate() {
        let budget = (target.saturating_sub(w.out.len() + 200)) / (sections.len() - s);
        let start = w.out.len();
        w.out.push_str(&format!("## {}、{heading}\n\n", cn(s + 1)));
        if w.rng.chance(50) {
            let mut n = 0;
            while n == 0 || w.out.len() - start < budget {
                n += 1;
                w.item(n);
            }
        } else {
            // At least one paragraph, then more until the section's share is used.
            loop {
                w.paragraph();
                if w.out.len() - start >= budget {
                    break;
                }
            }
        }
        if with_table && s == table_at {
            w.table();
        }
    }
    let closing = match genre {
        Genre::Announcement => "特此公告。".to_string(),
        Genre::Decision => "本决定自公布之日起施行。".to_string(),
        _ => format!("本{}自印发之日起施行。", genre.label()),
    };
    w.out.push_str(&format!(
        "{closing}\n\n{signer}\n\n{}\n",
        chinese_date(date)
    ));
}

fn notice_file(
    k: usize,
    plan: &[PlannedNotice],
    short_names: &[&str],
    full_names: &[String],
) -> Result<String> {
    let p = &plan[k];
    let mut rng = Rng::stream(k as u64);
    let year = p.date.year();
    let lead = &UNITS[p.issuers[0]];
    let issuer_short = if p.issuers.len() > 1 {
        format!("{}、{}", lead.short, UNITS[p.issuers[1]].short)
    } else {
        lead.short.to_string()
    };
    // The front matter draws from `rng` in a fixed order (title, doc_no, published, topic,
    // keywords, summary, validity window), then the body: reordering them changes the
    // corpus of every N.
    let title = title(&mut rng, p.genre, &issuer_short, year);
    let issuer = match p.issuers.as_slice() {
        [one] => Issuer::One(unit_id(*one)),
        many => Issuer::Joint(many.iter().map(|&u| unit_id(u)).collect()),
    };
    let doc_no = (p.genre != Genre::Announcement || rng.chance(30))
        .then(|| format!("{}〔{year}〕{}号", lead.doc_prefix, p.doc_seq));
    let mut published = None;
    if rng.chance(50) {
        let date = workday(add_days(p.date, rng.range(1, 6) as i64)?)?;
        published = (date > p.date).then_some(date);
    }
    let topic = rng.pick(TOPICS);
    let k = rng.range(2, 4);
    let keywords = rng.distinct(KEYWORDS, k);
    let summary = format!(
        "为{}{}{}，{}，结合本市实际，制定本{}。",
        rng.pick(ADVERBS),
        rng.pick(&["加强", "规范", "推进", "完善"]),
        rng.pick(OBJECTS),
        rng.pick(GOALS),
        p.genre.label()
    );
    let (mut valid_from, mut valid_until) = (None, None);
    if p.validity == Validity::Effective && rng.chance(15) {
        // A validity window: many have lapsed by *as of*, a few start after it.
        let from = workday(add_days(p.date, [0, 0, 15, 30][rng.below(4)])?)?;
        let years = [2, 3, 5][rng.below(3)];
        let until = add_days(
            from.checked_add(Span::new().years(years))
                .map_err(|e| format!("date arithmetic: {e}"))?,
            -1,
        )?;
        (valid_from, valid_until) = (Some(from), Some(until));
    }
    let index_nos = |targets: &[usize]| -> Vec<String> {
        targets.iter().map(|&t| plan[t].index_no.clone()).collect()
    };
    let front = NoticeFront {
        index_no: p.index_no.clone(),
        title,
        issuer,
        doc_no,
        date: p.date,
        published,
        genre: p.genre.label(),
        topic,
        keywords,
        summary,
        validity: p.validity,
        valid_from,
        valid_until,
        supersedes: index_nos(&p.supersedes),
        related: index_nos(&p.related),
    };

    // Skewed towards shorter documents, within 1–6 KB.
    let target = 1024 + rng.below(4300).min(rng.below(4300));
    let signer = if p.issuers.len() > 1 {
        format!("{}　{}", full_names[p.issuers[0]], full_names[p.issuers[1]])
    } else {
        full_names[p.issuers[0]].clone()
    };
    let mut w = Writer {
        rng,
        year,
        short_names,
        out: String::with_capacity(target + 1024),
        last_template: usize::MAX,
    };
    body(&mut w, p.genre, &signer, p.date, target);
    content::markdown(&front, &w.out)
}

/// Writes the site root: `content/site.yaml`, the units and `n` notices.
pub fn generate(dir: &Path, n: usize) -> Result<()> {
    let root = dir.join("content");
    let (y, m, d) = AS_OF;
    let site = SiteFile {
        title: format!("{CITY}知识产权联席会议信息公开（基准测试站点）"),
        language: "zh-CN",
        base_url: "https://ip.example.gov.cn/",
        owner: format!("{CITY}知识产权联席会议办公室"),
        index_no_pattern: r"^[0-9A-Za-z]+/\d{4}-\d{5}$",
        as_of: civil(y, m, d),
    };
    write_file(&root.join("site.yaml"), content::yaml(&site)?.as_bytes())?;
    for (ix, spec) in UNITS.iter().enumerate() {
        write_file(
            &root.join("units").join(format!("{}.yaml", unit_id(ix))),
            content::yaml(&unit_file(spec))?.as_bytes(),
        )?;
    }
    let mut code_rng = Rng::new(SEED ^ 0x00c0_dec0);
    let codes = org_codes(&mut code_rng);
    let plan = plan(n, &codes)?;
    let short_names: Vec<&str> = UNITS
        .iter()
        .filter(|u| u.kind != UnitKind::Collective && u.kind != UnitKind::District)
        .map(|u| u.short)
        .collect();
    let full_names: Vec<String> = UNITS.iter().map(unit_full_name).collect();
    let width = n.to_string().len().max(5);
    for k in 0..n {
        let text = notice_file(k, &plan, &short_names, &full_names)?;
        let path = root
            .join("notices")
            .join(plan[k].date.year().to_string())
            .join(format!("{k:0width$}.md"));
        write_file(&path, text.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (40, "四十"),
            (99, "九十九"),
            (105, "一百零五"),
        ];
        for (n, s) in cases {
            assert_eq!(cn(n), s);
        }
    }

    #[test]
    fn generation_is_deterministic() {
        let codes = org_codes(&mut Rng::new(1));
        let plan = plan(50, &codes).expect("plan");
        let names: Vec<&str> = UNITS.iter().map(|u| u.short).collect();
        let full: Vec<String> = UNITS.iter().map(unit_full_name).collect();
        let a = notice_file(7, &plan, &names, &full).expect("notice");
        let b = notice_file(7, &plan, &names, &full).expect("notice");
        assert_eq!(a, b);
        assert!(a.len() > 1024, "{}", a.len());
    }

    /// The serialised files are what gongkai reads: a small corpus checks without an
    /// error or a warning.
    #[test]
    fn a_small_corpus_passes_gongkai_check() {
        let dir = std::env::temp_dir().join(format!("gongkai-bench-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        generate(&dir, 60).expect("generate");
        let checked = gongkai::check(&gongkai::BuildOptions::new(&dir));
        let _ = std::fs::remove_dir_all(&dir);
        match checked {
            Ok((_, warnings)) => assert!(warnings.is_empty(), "{warnings}"),
            Err(errors) => panic!("{errors}"),
        }
    }
}
