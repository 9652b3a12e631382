//! Static files embedded in the binary and served under content-hashed names, so
//! browsers can cache them forever and a new build can never serve a stale copy.
//! Nothing comes from a CDN: school networks block them and offline must work.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::urls;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../static/css/app.css"),
    },
    Asset {
        name: "print.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../static/css/print.css"),
    },
    Asset {
        name: "reflect.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../static/js/reflect.js"),
    },
    Asset {
        name: "forms.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../static/js/forms.js"),
    },
];

/// The public URL of each asset, e.g. `/assets/app.3f2a9c1d.css`.
pub struct AssetUrls {
    pub app_css: String,
    pub print_css: String,
    pub reflect_js: String,
    pub forms_js: String,
    by_path: Vec<(String, &'static Asset)>,
}

fn hashed_name(asset: &Asset) -> String {
    let digest = Sha256::digest(asset.bytes);
    let short: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    match asset.name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{short}.{ext}"),
        None => format!("{}.{short}", asset.name),
    }
}

/// The asset URLs, computed once.
pub fn urls() -> &'static AssetUrls {
    static URLS: OnceLock<AssetUrls> = OnceLock::new();
    URLS.get_or_init(|| {
        let by_path: Vec<(String, &'static Asset)> = ASSETS
            .iter()
            .map(|asset| (hashed_name(asset), asset))
            .collect();
        let url = |name: &str| {
            by_path
                .iter()
                .find(|(_, asset)| asset.name == name)
                .map(|(path, _)| urls::fill(urls::ASSETS, &[path]))
                .unwrap_or_default()
        };
        AssetUrls {
            app_css: url("app.css"),
            print_css: url("print.css"),
            reflect_js: url("reflect.js"),
            forms_js: url("forms.js"),
            by_path,
        }
    })
}

/// `GET /assets/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    match urls().by_path.iter().find(|(path, _)| *path == file) {
        Some((_, asset)) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            asset.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
