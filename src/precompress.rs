//! `gongkai build --precompress`: a `.gz` and a `.br` twin beside every HTML, CSS, JS,
//! JSON, XML and search file, for nginx's `gzip_static` / `brotli_static` (and any server
//! that sends a precompressed file when the browser accepts it), so the server spends no
//! CPU per request and a reader gets the smallest encoding.
//!
//! The twins are made as each file is written, by a [`Sink`] in front of the output, so
//! they count against `limits: output_mb:` and land in the staging folder with the rest
//! (a failed build leaves no twin behind). Both encodings are deterministic: gzip with no
//! name and a zero modification time, brotli at a fixed quality and window, so the same
//! site gives the same bytes.

use std::io::Write;

use crate::diagnostics::{Code, Diagnostic};
use crate::render::{OutputFile, Sink};
use crate::text;

/// What is worth compressing: text formats. Images, PDFs and attachments are already
/// compressed or are copied as they are.
const COMPRESSIBLE: &[&str] = &[
    ".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".csv",
];

/// Files smaller than this gain nothing worth a second request path: nginx's own default
/// `gzip_min_length` is 20 bytes, but headers outweigh any saving below a few hundred.
const MIN_BYTES: usize = 256;

/// Brotli quality. Measured on a 12 KB notice page (brotli 8.0.4, release): quality 9
/// takes 9.6 ms a file, almost all of it zeroing the 16 MB hash table its hasher allocates
/// per stream; 8 takes 1.5 ms, 7 0.65 ms and gives the same bytes as 9 (3,433), 6 0.37 ms
/// for 2 % more. A build writes every page, so 7: the density of 9 at a fifteenth of its
/// time (docs/performance.md).
const BROTLI_QUALITY: u32 = 7;
/// Brotli window (log2 bytes): 22, the format's default, is enough for any page here.
const BROTLI_WINDOW: u32 = 22;

/// Whether a file at `path` gets twins.
pub fn is_compressible(path: &str) -> bool {
    COMPRESSIBLE.iter().any(|ext| path.ends_with(ext))
}

/// `bytes` as gzip, deterministically (no file name, mtime 0, best compression).
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// `bytes` as brotli at [`BROTLI_QUALITY`].
pub fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut out, 16 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(out)
}

/// Writes every file to `inner` and, for the compressible ones, its `.gz` and `.br`.
pub struct Precompress<'a> {
    inner: &'a dyn Sink,
}

impl<'a> Precompress<'a> {
    /// Twins for what goes to `inner`.
    pub fn new(inner: &'a dyn Sink) -> Self {
        Precompress { inner }
    }

    fn twin(
        &self,
        file: &OutputFile,
        extension: &str,
        encode: fn(&[u8]) -> std::io::Result<Vec<u8>>,
    ) -> Result<(), Diagnostic> {
        let path = format!("{}.{extension}", file.path);
        let bytes = encode(&file.bytes).map_err(|e| {
            Diagnostic::at_path(
                Code::WriteFailed,
                std::path::Path::new(&path),
                text!("cannot compress: {e}", "无法压缩：{e}"),
            )
        })?;
        self.inner.put(OutputFile {
            path,
            bytes,
            sources: file.sources.clone(),
            has_code: false,
        })?;
        Ok(())
    }
}

impl Sink for Precompress<'_> {
    fn put(&self, file: OutputFile) -> Result<OutputFile, Diagnostic> {
        if file.bytes.len() >= MIN_BYTES && is_compressible(&file.path) {
            self.twin(&file, "gz", gzip)?;
            self.twin(&file, "br", brotli)?;
        }
        self.inner.put(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn twins_decode_to_the_original_and_are_deterministic() {
        let page = "<!doctype html><title>通知</title>".repeat(100);
        let gz = gzip(page.as_bytes()).expect("gzip");
        assert_eq!(gz, gzip(page.as_bytes()).expect("gzip"), "same bytes");
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .expect("gunzip");
        assert_eq!(back, page);
        let br = brotli(page.as_bytes()).expect("brotli");
        assert_eq!(br, brotli(page.as_bytes()).expect("brotli"));
        let mut back = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut back)
            .expect("unbrotli");
        assert_eq!(back, page.as_bytes());
        assert!(br.len() < page.len() / 5, "{} of {}", br.len(), page.len());
    }

    #[test]
    fn only_text_formats_get_twins() {
        for path in [
            "index.html",
            "assets/style.css",
            "search/gongkai-search.js",
            "data/notices.json",
            "sitemap.xml",
            "robots.txt",
            "search/s/0a.json",
        ] {
            assert!(is_compressible(path), "{path}");
        }
        for path in ["attachments/2014/a.pdf", "assets/logo.png", "index.html.gz"] {
            assert!(!is_compressible(path), "{path}");
        }
    }
}
