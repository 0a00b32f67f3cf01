use std::time::Instant;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let mut cache = gongkai::content::LoadCache::default();
    for _ in 0..4 {
        let t = Instant::now();
        let (content, _d) = gongkai::content::load_cached(&root, &mut cache);
        let t1 = t.elapsed();
        let content = content.unwrap();
        let as_of = gongkai::AsOf::resolve("2024-12-31".parse().ok(), None).unwrap();
        let t2 = Instant::now();
        let (site, _) = gongkai::site::resolve(&root, content, as_of, false);
        eprintln!("load {t1:?} resolve {:?}", t2.elapsed());
        drop(site);
    }
}
