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
    Asset {
        name: "offline.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../static/js/offline.js"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../static/icons/icon.svg"),
    },
    Asset {
        name: "icon-192.png",
        content_type: "image/png",
        bytes: include_bytes!("../static/icons/icon-192.png"),
    },
    Asset {
        name: "icon-512.png",
        content_type: "image/png",
        bytes: include_bytes!("../static/icons/icon-512.png"),
    },
    Asset {
        name: "icon-maskable-512.png",
        content_type: "image/png",
        bytes: include_bytes!("../static/icons/icon-maskable-512.png"),
    },
];

/// The service worker's own code; the server writes its version and the shell's
/// addresses above it (see [`service_worker`]).
const SERVICE_WORKER: &str = include_str!("../static/js/sw.js");

/// The public URL of each asset, e.g. `/assets/app.3f2a9c1d.css`.
pub struct AssetUrls {
    pub app_css: String,
    pub print_css: String,
    pub reflect_js: String,
    pub forms_js: String,
    /// Registers the service worker and sends what was kept offline.
    pub offline_js: String,
    pub icon_svg: String,
    pub icon_192: String,
    by_path: Vec<(String, &'static Asset)>,
}

/// The first `n` bytes of a SHA-256 digest, as hex.
fn short_hash(bytes: &[u8], n: usize) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(n)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The public URL of the asset called `name` ("" if there is none).
fn url_in(by_path: &[(String, &'static Asset)], name: &str) -> String {
    by_path
        .iter()
        .find(|(_, asset)| asset.name == name)
        .map(|(path, _)| urls::fill(urls::ASSETS, &[path]))
        .unwrap_or_default()
}

/// A generated text answer that browsers must check again before reusing.
fn fresh(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

fn hashed_name(asset: &Asset) -> String {
    let short = short_hash(asset.bytes, 5);
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
        let url = |name: &str| url_in(&by_path, name);
        AssetUrls {
            app_css: url("app.css"),
            print_css: url("print.css"),
            reflect_js: url("reflect.js"),
            forms_js: url("forms.js"),
            offline_js: url("offline.js"),
            icon_svg: url("icon.svg"),
            icon_192: url("icon-192.png"),
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

/// `GET /sw.js`: the service worker, with the app shell it keeps (the offline
/// page first, then every asset). Its bytes change with any asset, so a new
/// build installs a new worker; it is never cached by the HTTP cache.
pub async fn service_worker() -> Response {
    static BODY: OnceLock<String> = OnceLock::new();
    let body = BODY.get_or_init(|| {
        let mut shell = vec![urls::OFFLINE.to_owned()];
        shell.extend(
            urls()
                .by_path
                .iter()
                .map(|(path, _)| urls::fill(urls::ASSETS, &[path])),
        );
        let shell = serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into());
        let version = short_hash(format!("{shell}{SERVICE_WORKER}").as_bytes(), 6);
        format!("var VERSION = '{version}';\nvar SHELL = {shell};\n{SERVICE_WORKER}")
    });
    fresh("text/javascript; charset=utf-8", body)
}

/// `GET /manifest.webmanifest`: what a phone needs to install leadkit.
pub async fn manifest() -> Response {
    static BODY: OnceLock<String> = OnceLock::new();
    let body = BODY.get_or_init(|| {
        let icon = |name: &str| url_in(&urls().by_path, name);
        serde_json::json!({
            "name": "leadkit: leadership development",
            "short_name": "leadkit",
            "description": "Reflect on your leadership, set goals and keep evidence, with your coach.",
            "lang": "en-GB",
            "start_url": urls::HOME,
            "scope": urls::HOME,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5394",
            "icons": [
                { "src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png" },
                { "src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png" },
                { "src": icon("icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable" },
                { "src": icon("icon.svg"), "sizes": "any", "type": "image/svg+xml" },
            ],
        })
        .to_string()
    });
    fresh("application/manifest+json", body)
}

/// `GET /offline`: the page the service worker shows for an address it has not
/// kept when there is no connection. The same for everyone (it holds nothing
/// personal); offline.js lists the pages this device has kept.
pub async fn offline_page() -> Response {
    static BODY: OnceLock<String> = OnceLock::new();
    let body = BODY.get_or_init(|| {
        let urls = urls();
        format!(
            r#"<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>No connection · leadkit</title>
<link rel="stylesheet" href="{css}">
<link rel="manifest" href="{manifest}">
</head>
<body>
<header class="site-header"><a class="brand" href="/">leadkit</a></header>
<main id="main">
<h1>No connection</h1>
<p>This page has not been kept on this device, so it cannot open until the connection returns.</p>
<p>What you do on the pages kept here is kept too, and sent as soon as the connection returns.</p>
<section data-offline-pages hidden>
<h2>Pages you can open now</h2>
<ul data-offline-list></ul>
</section>
<p><a href="/">Try again</a></p>
</main>
<script src="{js}" defer></script>
</body>
</html>
"#,
            css = urls.app_css,
            manifest = urls::MANIFEST,
            js = urls.offline_js,
        )
    });
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body.as_str(),
    )
        .into_response()
}
