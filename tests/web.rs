//! The web interface of `serve` (issue 17): pages over the seed store read by HTTP and by
//! headless Chromium, markup in articles and names kept inert, the server's limits, and the
//! network exports read by networkx.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use oxhttp::model::header::CONTENT_TYPE;
use oxhttp::model::{Method, Request};

use crate::common::browser;
use crate::common::*;

const ALIYEV: &str = "https://w3id.org/newsgraph/id/person/ilham-aliyev";
const SEED_ARTICLE: &str = "https://w3id.org/newsgraph/id/article/000_43bfa79b2a45682c";

/// A running `serve`, killed on drop; `base` is `http://ADDR`.
struct Server {
    child: Child,
    base: String,
    /// Kept open: a closed pipe would fail the server's next write to stderr.
    _stderr: Option<std::io::BufReader<std::process::ChildStderr>>,
}

impl Server {
    fn start(store: &Path, extra: &[&str]) -> Server {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsgraph"));
        c.arg("--store")
            .arg(store)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra);
        let (child, url, stderr) = spawn_announced(c);
        Server {
            child,
            base: url.trim_end_matches("/query").to_owned(),
            _stderr: Some(stderr),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawns `serve` and reads its first line ("listening on URL"); returns the child, the URL
/// and the rest of its stderr.
fn spawn_announced(
    mut c: std::process::Command,
) -> (Child, String, std::io::BufReader<std::process::ChildStderr>) {
    use std::io::BufRead;
    let mut child = c.stderr(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    stderr.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("serve announces its address, said {line:?}"))
        .to_owned();
    (child, url, stderr)
}

/// GET `url`: (status, content type, body).
fn get(url: &str) -> (u16, String, String) {
    let request = Request::builder()
        .method(Method::GET)
        .uri(url)
        .body(oxhttp::model::Body::empty())
        .unwrap();
    let response = oxhttp::Client::new()
        .with_global_timeout(Duration::from_secs(60))
        .request(request)
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status().as_u16();
    let ct = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ct, response.into_body().to_string().unwrap())
}

/// A page that must answer 200 with HTML; its body.
fn page(server: &Server, path: &str) -> String {
    let (status, ct, body) = get(&server.url(path));
    assert_eq!(status, 200, "{path}: {body}");
    assert!(ct.starts_with("text/html"), "{path}: {ct}");
    body
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The seed store, linked (so the entity page has Wikidata links).
fn linked_seed(tmp: &Path) -> PathBuf {
    let store = seeded_store(tmp);
    let mut c = ng(&store);
    c.arg("link");
    ok(c);
    store
}

/// The text of an HTML fragment with tags removed and whitespace collapsed, for assertions
/// about what a reader sees.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `<li>` items of the first `<ol class="timeline">` of a page, as visible text.
fn timeline_items(html: &str) -> Vec<String> {
    let Some(start) = html.find(r#"<ol class="timeline">"#) else {
        return Vec::new();
    };
    let end = html[start..]
        .find("</ol>")
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split("<li")
        .skip(1)
        .map(|li| visible(&format!("<li{li}")))
        .collect()
}

#[test]
fn the_start_page_shows_the_store_and_its_strongest_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    let store = linked_seed(tmp.path());
    let server = Server::start(&store, &[]);
    let home = visible(&page(&server, "/"));
    assert!(home.contains("1 article "), "{home}");
    // The seed has 11 persons, 6 organisations and 13 places (seeds/*.facts.json).
    assert!(home.contains("11 persons"), "{home}");
    assert!(home.contains("6 organisations"), "{home}");
    assert!(home.contains("13 places"), "{home}");
    for name in [
        "Ilham Aliyev",
        "Isaac Herzog",
        "Hikmet Hajiyev",
        "American Israel Public Affairs Committee",
    ] {
        assert!(home.contains(name), "start page lacks {name}: {home}");
    }
    assert!(
        home.contains("Ilham Aliyev – Isaac Herzog")
            || home.contains("Isaac Herzog – Ilham Aliyev"),
        "the Davos pair is among the strongest: {home}"
    );
}

#[test]
fn search_matches_word_prefixes_of_names_and_aliases_ignoring_case_and_accents() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let server = Server::start(&store, &[]);
    let hits = |q: &str| visible(&page(&server, &format!("/search?q={}", enc(q))));
    assert!(hits("aliy").contains("Ilham Aliyev"), "{}", hits("aliy"));
    assert!(hits("ILHAM").contains("Ilham Aliyev"));
    // Accents: "Türkiye" found as "turk", and "Türk" finds it too.
    assert!(hits("turk").contains("Türkiye"), "{}", hits("turk"));
    assert!(hits("Türk").contains("Türkiye"));
    // An alias: "DEIK" is the Turkish Foreign Economic Relations Board's.
    let deik = hits("dei");
    assert!(
        deik.contains("Turkish Foreign Economic Relations Board") && deik.contains("DEIK"),
        "{deik}"
    );
    // Only word starts match: "liyev" is inside a word.
    assert!(!hits("liyev").contains("Ilham Aliyev"));
    assert!(hits("zzzz").contains("No person, organisation or place"));
}

#[test]
fn the_entity_page_shows_meetings_posts_network_links_and_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let store = linked_seed(tmp.path());
    let server = Server::start(&store, &[]);
    let html = page(&server, &format!("/entity?iri={}", enc(ALIYEV)));
    let text = visible(&html);
    assert!(text.contains("Ilham Aliyev person"), "{text}");
    assert!(text.contains("Aliyev"), "aliases: {text}");
    let items = timeline_items(&html);
    assert!(
        items.iter().any(|i| i.contains("2025-01-21")
            && i.starts_with("2025-01-21 meeting")
            && i.contains("Davos")
            && i.contains("Isaac Herzog")),
        "the Davos meeting with Isaac Herzog on 2025-01-21: {items:#?}"
    );
    assert!(
        items.iter().any(|i| i.starts_with("2024-12-11 talks")
            && i.contains("Baku")
            && i.contains("Michael Tuchin")),
        "the Baku talks of 2024-12-11: {items:#?}"
    );
    // Newest first.
    let davos = items
        .iter()
        .position(|i| i.starts_with("2025-01-21"))
        .unwrap();
    let baku = items
        .iter()
        .position(|i| i.starts_with("2024-12-11"))
        .unwrap();
    assert!(davos < baku, "{items:#?}");
    // The network: an SVG with a node per co-participant, linked to its page.
    assert!(html.contains(r#"<svg class="network""#), "{html}");
    let herzog = format!(
        "/entity?iri={}",
        enc("https://w3id.org/newsgraph/id/person/isaac-herzog")
    );
    assert!(
        html.contains(&format!(r#"<a href="{}""#, herzog.replace('&', "&amp;")))
            || html.contains(&herzog),
        "{html}"
    );
    // The article naming him.
    assert!(text.contains("Newest articles"), "{text}");
    assert!(
        html.contains(&format!("/article?iri={}", enc(SEED_ARTICLE))),
        "{html}"
    );

    // Links to Wikidata (from `link`): Isaac Herzog is in the curated linkset, Q983258.
    let herzog_page = page(
        &server,
        &format!(
            "/entity?iri={}",
            enc("https://w3id.org/newsgraph/id/person/isaac-herzog")
        ),
    );
    assert!(
        herzog_page.contains(r#"<a href="http://www.wikidata.org/entity/Q983258""#),
        "{herzog_page}"
    );
    assert!(
        visible(&herzog_page).contains("same as score 0.97"),
        "{herzog_page}"
    );

    // A person with a post: Hikmet Hajiyev.
    let hajiyev = visible(&page(
        &server,
        &format!(
            "/entity?iri={}",
            enc("https://w3id.org/newsgraph/id/person/hikmet-hajiyev")
        ),
    ));
    assert!(hajiyev.contains("Posts"), "{hajiyev}");
    assert!(
        hajiyev.contains("senior aide") && hajiyev.contains("Ilham Aliyev"),
        "{hajiyev}"
    );
}

#[test]
fn the_article_page_highlights_mentions_and_evidence_with_rules_and_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let server = Server::start(&store, &[]);
    let html = page(&server, &format!("/article?iri={}", enc(SEED_ARTICLE)));
    assert!(
        html.contains(r#"class="mention person" href="/entity?iri=https%3A%2F%2Fw3id.org%2Fnewsgraph%2Fid%2Fperson%2Fhikmet-hajiyev" title="Hikmet Hajiyev">Hikmet Hajiyev</a>"#),
        "Hikmet Hajiyev is highlighted as a person mention"
    );
    assert!(html.contains(r#"<mark class="evidence" data-facts=""#));
    let text = visible(&html);
    // The Davos meeting's date came from a named event: the page says how.
    assert!(
        text.contains("one day after Trump’s inauguration")
            && text.contains("1 day after us-presidential-inauguration-2025"),
        "{text}"
    );
    assert!(text.contains("from the publication date"), "{text}");
    assert!(
        text.contains("2 days after another event of the article"),
        "{text}"
    );
    // Hand-made facts name their annotator where extracted ones name their rule.
    assert!(text.contains("annotated by"), "{text}");
    // Every fact lists a confidence.
    assert!(text.contains("confidence"), "{text}");
    // The whole text is there, in order: highlighting cuts it, it does not drop any of it.
    let seed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo(SEED_FACTS)).unwrap()).unwrap();
    let body = seed["article"]["text"].as_str().unwrap();
    let start = html.find(r#"<article class="text">"#).unwrap();
    let end = html[start..].find("</article>").unwrap() + start;
    let shown = html_unescape(&strip_tags(&html[start..end]));
    assert_eq!(shown.trim(), body.trim());
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_timeline_filters_by_date_kind_place_and_participant() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let server = Server::start(&store, &[]);
    let all = timeline_items(&page(&server, "/timeline"));
    assert!(all.len() >= 5, "{all:#?}");
    let meetings = timeline_items(&page(&server, "/timeline?kind=Meeting"));
    assert!(
        !meetings.is_empty() && meetings.iter().all(|i| i.contains("meeting")),
        "{meetings:#?}"
    );
    assert!(meetings.len() < all.len());
    let davos = timeline_items(&page(&server, "/timeline?place=Davos"));
    assert_eq!(davos.len(), 1, "{davos:#?}");
    assert!(davos[0].contains("Isaac Herzog") && davos[0].contains("Ilham Aliyev"));
    let range = timeline_items(&page(&server, "/timeline?from=2024-12&to=2024-12"));
    assert!(
        !range.is_empty() && range.iter().all(|i| i.starts_with("2024-12")),
        "{range:#?}"
    );
    let who = timeline_items(&page(&server, "/timeline?who=Michael+Tuchin"));
    assert_eq!(who.len(), 1, "{who:#?}");
    assert!(who[0].starts_with("2024-12-11 talks"), "{who:#?}");
    // A bad date is a clear 400, not an empty page.
    let (status, _, body) = get(&server.url("/timeline?from=last+week"));
    assert_eq!(status, 400);
    assert!(body.contains("is not a date"), "{body}");
}

#[test]
fn unknown_pages_and_entities_are_clear_404s() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let server = Server::start(&store, &[]);
    let (status, _, body) = get(&server.url("/nowhere"));
    assert_eq!(status, 404);
    assert!(body.contains("The start page is at /"), "{body}");
    let (status, _, body) = get(&server.url(&format!(
        "/entity?iri={}",
        enc("https://w3id.org/newsgraph/id/person/nobody")
    )));
    assert_eq!(status, 404);
    assert!(body.contains("Search for a name instead"), "{body}");
    let (status, _, body) = get(&server.url("/entity"));
    assert_eq!(status, 400);
    assert!(body.contains("needs ?iri="), "{body}");
}

/// Facts of an article whose text, headline and names carry markup.
fn hostile_store(tmp: &Path) -> PathBuf {
    let mut facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo(SEED_FACTS)).unwrap()).unwrap();
    let text = facts["article"]["text"].as_str().unwrap().to_owned();
    facts["article"]["text"] = format!(
        "{text}\n<script>document.body.dataset.x=String.fromCharCode(111,119,110,101,100)</script><img src=x onerror=\"document.body.dataset.x=String.fromCharCode(111,119,110,101,100)\">"
    )
    .into();
    facts["article"]["headline"] =
        "<script>document.body.dataset.x=String.fromCharCode(111,119,110,101,100)</script>Markup & more".into();
    for e in facts["entities"].as_array_mut().unwrap() {
        if e["id"] == "hikmet-hajiyev" {
            e["name"] = "<b onmouseover=\"document.body.dataset.x=String.fromCharCode(111,119,110,101,100)\">Hikmet</b> <script>document.body.dataset.x=String.fromCharCode(111,119,110,101,100)</script>Hajiyev".into();
        }
    }
    let file = tmp.join("hostile.facts.json");
    std::fs::write(&file, serde_json::to_string(&facts).unwrap()).unwrap();
    let store = tmp.join("store");
    let mut c = ng(&store);
    c.arg("load").arg(&file);
    ok(c);
    store
}

#[test]
fn markup_in_article_text_and_names_is_shown_as_text_and_never_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let store = hostile_store(tmp.path());
    let hikmet = hikmet_iri(&store);
    let server = Server::start(&store, &[]);
    let entity = server.url(&format!("/entity?iri={}", enc(&hikmet)));
    let pages = [
        server.url("/"),
        server.url(&format!("/article?iri={}", enc(SEED_ARTICLE))),
        entity,
        server.url("/search?q=hikmet"),
        server.url("/timeline"),
    ];
    for url in pages {
        let dom = browser::dump_dom(&url);
        // Each payload would set data-x="owned" on the body (the word is never in the text).
        assert!(!dom.contains("owned\""), "{url}: a script ran:\n{dom}");
        // The only script element is the page's own.
        assert_eq!(dom.matches("<script").count(), 1, "{url}:\n{dom}");
        assert!(!dom.contains("<b onmouseover"), "{url}");
        assert!(
            dom.contains("&lt;script&gt;"),
            "{url}: the markup is shown as text:\n{dom}"
        );
    }
}

/// The IRI the mapping gave the renamed Hikmet Hajiyev (read back from the store).
fn hikmet_iri(store: &Path) -> String {
    let rows = query_text_csv(
        store,
        "SELECT ?p WHERE { ?p <http://schema.org/name> ?n . FILTER(CONTAINS(?n, 'Hikmet')) }",
    );
    rows[1][0].clone()
}

#[test]
fn chromium_renders_every_page_with_its_content() {
    let tmp = tempfile::tempdir().unwrap();
    let store = linked_seed(tmp.path());
    let server = Server::start(&store, &[]);
    let entity = visible(&browser::dump_dom(
        &server.url(&format!("/entity?iri={}", enc(ALIYEV))),
    ));
    assert!(entity.contains("2025-01-21 meeting in Davos"), "{entity}");
    assert!(entity.contains("Isaac Herzog"), "{entity}");
    assert!(entity.contains("2024-12-11 talks in Baku"), "{entity}");
    let article = browser::dump_dom(&server.url(&format!("/article?iri={}", enc(SEED_ARTICLE))));
    assert!(
        article.contains(r#"title="Hikmet Hajiyev">Hikmet Hajiyev</a>"#),
        "{article}"
    );
    let home = visible(&browser::dump_dom(&server.url("/")));
    assert!(home.contains("Who met whom"), "{home}");
    // One screenshot per page, under the target dir (never committed; see docs/ for the
    // README's copies).
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, path) in [
        ("home", "/".to_owned()),
        ("entity", format!("/entity?iri={}", enc(ALIYEV))),
        ("article", format!("/article?iri={}", enc(SEED_ARTICLE))),
        ("timeline", "/timeline".to_owned()),
        ("search", "/search?q=h".to_owned()),
    ] {
        let png = dir.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&png);
        browser::screenshot(&server.url(&path), &png, 1200, 1400);
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{name}: {} bytes",
            bytes.len()
        );
    }
}

/// POSTs `body` to `path` as `content_type`; the whole raw answer.
fn post(addr: &str, path: &str, content_type: &str, body: &str) -> String {
    raw(
        addr,
        format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
}

/// Sends raw bytes to the server and returns its whole answer.
fn raw(addr: &str, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn the_endpoint_is_read_only_and_caps_rows_and_request_size() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let before = dump(&store);
    let server = Server::start(&store, &["--max-rows", "3", "--max-body", "2000"]);
    let addr = server.addr();
    // An update is refused (it is not a query) and changes nothing.
    let update = "DELETE WHERE { ?s ?p ?o }";
    let body = format!("update={}", enc(update));
    let answer = post(&addr, "/query", "application/x-www-form-urlencoded", &body);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let answer = post(&addr, "/query", "application/sparql-query", update);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    // Pages take GET only.
    let answer = raw(
        &addr,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    // More rows than --max-rows: refused with what to do.
    let q = "SELECT ?s WHERE { ?s a <http://schema.org/Person> }";
    let (status, _, body) = get(&server.url(&format!("/query?query={}", enc(q))));
    assert_eq!(status, 400);
    assert!(body.contains("more than 3 rows; add a LIMIT"), "{body}");
    let (status, _, _) =
        get(&server.url(&format!("/query?query={}", enc(&format!("{q} LIMIT 3")))));
    assert_eq!(status, 200);
    // A body over --max-body: 413, without reading it.
    let big = "x".repeat(3000);
    let answer = post(&addr, "/query", "application/sparql-query", &big);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // A huge head: 431.
    let answer = raw(
        &addr,
        format!(
            "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
            "y".repeat(40_000)
        )
        .as_bytes(),
    );
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    // Garbage: 400.
    let answer = raw(&addr, b"\x00\x01 nonsense\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    drop(server);
    assert_eq!(dump(&store), before, "serving changed the store");
}

#[test]
fn a_burst_of_concurrent_clients_is_answered_by_the_bounded_pool() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let server = Server::start(&store, &["--workers", "2"]);
    let urls = [
        server.url("/"),
        server.url(&format!("/entity?iri={}", enc(ALIYEV))),
        server.url(&format!("/article?iri={}", enc(SEED_ARTICLE))),
        server.url("/search?q=al"),
    ];
    std::thread::scope(|s| {
        for t in 0..16 {
            let urls = &urls;
            s.spawn(move || {
                for i in 0..10 {
                    let (status, _, body) = get(&urls[(t + i) % urls.len()]);
                    assert_eq!(status, 200, "{body}");
                }
            });
        }
    });
}

#[test]
fn a_non_loopback_listen_address_is_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsgraph"));
    c.arg("--store")
        .arg(&store)
        .args(["serve", "--listen", "0.0.0.0:0", "--max-requests", "1"]);
    let mut child = c.stderr(Stdio::piped()).spawn().unwrap();
    let mut err = String::new();
    let mut stderr = child.stderr.take().unwrap();
    // Three lines: the endpoint, the pages, the warning; then one request ends the server.
    let mut buf = [0u8; 4096];
    while !err.contains("not a loopback address") {
        let n = stderr.read(&mut buf).unwrap();
        assert!(n > 0, "serve ended without the warning: {err}");
        err.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(
        err.contains("anyone who can reach this port can read the whole store"),
        "{err}"
    );
    let port = err
        .lines()
        .next()
        .and_then(|l| l.rsplit(':').next())
        .and_then(|p| p.trim_end_matches("/query").parse::<u16>().ok())
        .unwrap();
    let (status, _, _) = get(&format!("http://127.0.0.1:{port}/"));
    assert_eq!(status, 200);
    assert!(child.wait().unwrap().success());
    // Loopback: no warning.
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsgraph"));
    c.arg("--store")
        .arg(&store)
        .args(["serve", "--listen", "127.0.0.1:0", "--max-requests", "1"]);
    let (mut child, url, mut stderr) = spawn_announced(c);
    let (status, _, _) = get(&url.replace("/query", "/"));
    assert_eq!(status, 200);
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(!rest.contains("warning"), "{rest}");
}

#[test]
fn network_exports_load_in_networkx_with_the_seed_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let mut files = Vec::new();
    for format in ["graphml", "gexf", "csv"] {
        let file = tmp.path().join(format!("network.{format}"));
        let mut c = ng(&store);
        c.args(["export", "--network", format, "-o"]).arg(&file);
        ok(c);
        files.push(file);
    }
    let script = r#"
import csv, sys
import networkx as nx
g = nx.read_graphml(sys.argv[1])
x = nx.read_gexf(sys.argv[2])
def pairs(graph, label):
    return sorted(tuple(sorted((graph.nodes[a][label], graph.nodes[b][label]))) + (graph.edges[a, b]["events"],) for a, b in graph.edges)
pg = pairs(g, "name")
px = pairs(x, "label")
assert pg == px, (pg, px)
with open(sys.argv[3], newline="") as f:
    pc = sorted(tuple(sorted((r["source_name"], r["target_name"]))) + (int(r["events"]),) for r in csv.DictReader(f))
assert pc == pg, (pc, pg)
kinds = {g.nodes[n]["name"]: (g.nodes[n]["kind"], g.nodes[n]["articles"]) for n in g.nodes}
for a, b, e in pg:
    print(f"{a}|{b}|{e}")
print("KIND", kinds["Ilham Aliyev"][0], kinds["Ilham Aliyev"][1])
"#;
    let out = python_stdout(script, &files);
    for pair in [
        "Ilham Aliyev|Isaac Herzog|1",
        "Gideon Saar|Hikmet Hajiyev|1",
        "Hikmet Hajiyev|Isaac Herzog|1",
        "Ilham Aliyev|Michael Tuchin|1",
    ] {
        assert!(out.lines().any(|l| l == pair), "{pair} not in:\n{out}");
    }
    // Pairs of the planned Netanyahu–Trump meeting are not in the network (it did not occur).
    assert!(!out.contains("Benjamin Netanyahu|Donald Trump"), "{out}");
    assert!(out.contains("KIND person 1"), "{out}");
    // The same pairs as who-met-whom.rq.
    let rows = query_csv(&store, repo("queries/who-met-whom.rq").to_str().unwrap());
    assert_eq!(
        out.lines().filter(|l| l.contains('|')).count(),
        rows.len() - 1
    );
}

#[test]
fn garbage_paths_and_parameters_get_answers_and_never_stop_the_server() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let server = Server::start(&store, &[]);
    let addr = server.addr();
    // A fixed pseudo-random sequence (xorshift), so a failure can be replayed.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let pieces = [
        "/",
        "/entity",
        "/article",
        "/timeline",
        "/search",
        "/assets/",
        "/query",
        "?",
        "&",
        "=",
        "iri",
        "q",
        "from",
        "to",
        "kind",
        "place",
        "who",
        "%",
        "%zz",
        "%00",
        "%F0%9F",
        "<",
        ">",
        "\"",
        "'",
        "http://",
        "https://w3id.org/newsgraph/id/person/",
        "2024",
        "-13",
        "Meeting",
        "..",
        "//",
        "#",
        " ",
        "\u{e9}",
        "a",
    ];
    for _ in 0..400 {
        let n = 1 + next() % 8;
        let target: String = (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        let target = target.replace(' ', "%20");
        let answer = raw(
            &addr,
            format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
        );
        let status: u16 = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("GET {target}: no status in {answer:?}"));
        assert!(
            [200, 400, 404, 405].contains(&status),
            "GET {target}: {status}\n{answer}"
        );
    }
    // Still answering.
    assert_eq!(get(&server.url("/")).0, 200);
}

/// (date, kind) of each event of a timeline query's CSV rows, in order, once per event.
fn query_events(rows: &[Vec<String>]) -> Vec<String> {
    let head = &rows[0];
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (ev, date, kind) = (col("event"), col("date"), col("kind"));
    let mut seen = std::collections::HashSet::new();
    rows[1..]
        .iter()
        .filter(|r| seen.insert(r[ev].clone()))
        .map(|r| {
            let d = if r[date].is_empty() {
                "undated"
            } else {
                &r[date]
            };
            format!("{d} {}", r[kind].replace("otherevent", "other"))
        })
        .collect()
}

/// (date, kind) of each event on a page's timeline.
fn page_events(html: &str) -> Vec<String> {
    timeline_items(html)
        .iter()
        .map(|i| i.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn pages_answer_what_their_query_files_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let timeline = repo("queries/pages/timeline.rq");
    let timeline = timeline.to_str().unwrap();
    let entity_events = repo("queries/pages/entity-events.rq");
    let meeting = "class=<https://w3id.org/newsgraph/ns#Meeting>";
    let cases: Vec<(String, Vec<String>)> = vec![
        (
            "/timeline".into(),
            query_events(&query_all_csv(&store, timeline)),
        ),
        (
            "/timeline?kind=Meeting".into(),
            query_events(&query_bound_csv(&store, timeline, meeting)),
        ),
        (
            "/timeline?place=Davos".into(),
            query_events(&query_bound_csv(
                &store,
                timeline,
                "place=<https://w3id.org/newsgraph/id/place/davos>",
            )),
        ),
        (
            format!("/timeline?who={}", enc(ALIYEV)),
            query_events(&query_bound_csv(
                &store,
                timeline,
                &format!("who=<{ALIYEV}>"),
            )),
        ),
        (
            format!("/entity?iri={}", enc(ALIYEV)),
            query_events(&query_bound_csv(
                &store,
                entity_events.to_str().unwrap(),
                &format!("entity=<{ALIYEV}>"),
            )),
        ),
    ];
    let mut c = ng(&store);
    c.args([
        "query",
        timeline,
        "--format",
        "csv",
        "--bind",
        "from=2024-12",
        "--bind",
        "to=2024-12",
    ]);
    let december = query_events(&parse_csv(&ok(c)));
    let newest = query_bound_csv(
        &store,
        repo("queries/pages/entity-articles.rq").to_str().unwrap(),
        &format!("entity=<{ALIYEV}>"),
    );
    let server = Server::start(&store, &[]);
    for (path, expected) in cases {
        assert!(!expected.is_empty(), "{path}");
        assert_eq!(page_events(&page(&server, &path)), expected, "{path}");
    }
    assert!(!december.is_empty());
    assert_eq!(
        page_events(&page(&server, "/timeline?from=2024-12&to=2024-12")),
        december
    );
    let html = page(&server, &format!("/entity?iri={}", enc(ALIYEV)));
    for row in &newest[1..] {
        assert!(
            html.contains(&format!("/article?iri={}", enc(&row[0]))),
            "{row:?}"
        );
    }
}
