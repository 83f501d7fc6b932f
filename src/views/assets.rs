//! Static files compiled into the binary, served with long cache lifetimes under
//! URLs that change whenever their content does.

use std::sync::LazyLock;

pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static str,
    /// A short hash of the content: the `?v=` of the URL and the ETag.
    pub version: String,
}

impl Asset {
    fn new(name: &'static str, content_type: &'static str, body: &'static str) -> Self {
        // FNV-1a: stable across builds and platforms, unlike std's hasher.
        let hash =
            body.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        Self { name, content_type, body, version: format!("{hash:016x}") }
    }

    pub fn href(&self) -> String {
        format!("/assets/{}?v={}", self.name, self.version)
    }
}

pub static STYLESHEET: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("style.css", "text/css; charset=utf-8", include_str!("../../assets/style.css")));

pub fn find(name: &str) -> Option<&'static Asset> {
    [&*STYLESHEET].into_iter().find(|a| a.name == name)
}
