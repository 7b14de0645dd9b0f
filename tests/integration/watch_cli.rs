//! `stet watch` against a scripted HTTP server on 127.0.0.1 (no outside network): feeds whose
//! entries appear and change, ETag/304, Last-Modified, redirects and a loop, a 404 that comes
//! back, a slow answer, an oversize page, a 429 with Retry-After, an extraction that collapses,
//! hostile text and a malformed feed; then `stet stories` and `stet diff` on `watch:`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cli_support::stet_in;

/// A scripted answer.
#[derive(Clone)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

impl Resp {
    fn ok(ctype: &str, body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            status: 200,
            headers: vec![("Content-Type".into(), ctype.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
    fn status(status: u16) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }
    fn header(mut self, k: &str, v: &str) -> Resp {
        self.headers.push((k.into(), v.into()));
        self
    }
}

/// A request as the server saw it: path and headers (lower-case names).
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: HashMap<String, String>,
}

type Handler = dyn Fn(usize, &Seen) -> Resp + Send + Sync;

/// A test HTTP server: answers each request with `handler(phase, request)`.
struct Server {
    addr: String,
    phase: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(handler: Arc<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = format!("http://{}", listener.local_addr().unwrap());
        let phase = Arc::new(AtomicUsize::new(1));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (p, s) = (phase.clone(), seen.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (h, p, s) = (handler.clone(), p.clone(), s.clone());
                std::thread::spawn(move || serve(stream, &*h, &p, &s));
            }
        });
        Server { addr, phase, seen }
    }
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.addr)
    }
    fn set_phase(&self, n: usize) {
        self.phase.store(n, Ordering::SeqCst);
    }
    fn requests(&self, path: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }
}

fn serve(stream: TcpStream, handler: &Handler, phase: &AtomicUsize, seen: &Mutex<Vec<Seen>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        if let Some(n) = headers
            .get("content-length")
            .and_then(|n| n.parse::<usize>().ok())
        {
            let mut body = vec![0; n];
            let _ = reader.read_exact(&mut body);
        }
        let req = Seen { path, headers };
        seen.lock().unwrap().push(req.clone());
        let resp = handler(phase.load(Ordering::SeqCst), &req);
        std::thread::sleep(resp.delay);
        let mut head = format!(
            "HTTP/1.1 {} X\r\nContent-Length: {}\r\n",
            resp.status,
            resp.body.len()
        );
        for (k, v) in &resp.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(&resp.body))
            .is_err()
        {
            return;
        }
    }
}

/// An article page whose text the extractor finds: a headline and paragraphs.
fn article(title: &str, paras: &[&str]) -> String {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article><h1>{title}</h1>\n{body}</article><footer>Copyright Example News</footer></body></html>"
    )
}

const P1: &str = "The harbour authority said on Tuesday that the northern pier would reopen to ferry traffic after three weeks of repairs to its storm-damaged moorings.";
const P2: &str = "Engineers replaced twelve steel pilings and resurfaced the landing deck, according to a statement released by the port's operations office in the morning.";
const P3: &str = "Local businesses that depend on the ferry trade welcomed the news, saying the closure had cut their takings by nearly half during the busiest part of the season.";
const P4: &str = "A spokesperson for the ferry company said timetables would return to normal from Friday, with extra sailings planned for the weekend to clear the backlog of bookings.";

fn rss(base: &str, items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(t, p)| {
            format!("<item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid></item>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title><link>{base}/</link><description>d</description>{items}</channel></rss>"
    )
}

fn write_config(home: &Path, extra: &str) {
    let dir = home.join("config");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[watch]\ntimeout_seconds = 1\nhost_interval_seconds = 0\nmax_page_kb = 64\n{extra}"
        ),
    )
    .unwrap();
}

fn run(home: &Path, args: &[&str]) -> (bool, String, String) {
    let mut cmd = stet_in(home, args);
    // The test server is local: no proxy of the environment in between.
    for v in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The site: what each path answers in each phase.
fn site(base: String) -> Arc<Handler> {
    Arc::new(move |phase: usize, req: &Seen| {
        let b = base.as_str();
        match req.path.as_str() {
            "/robots.txt" => Resp::ok("text/plain", "User-agent: *\nDisallow: /private\n"),
            "/feed.xml" => {
                let mut items = vec![
                    ("Pier to reopen", "/news/pier"),
                    ("Quiet day", "/news/quiet"),
                ];
                if phase >= 2 {
                    items.push(("Ferries back", "/news/ferries"));
                }
                Resp::ok("application/rss+xml", rss(b, &items))
            }
            "/news/pier" => {
                let (etag, page) = if phase == 1 {
                    (
                        "\"pier-1\"",
                        article("Northern pier to reopen", &[P1, P2, P3]),
                    )
                } else {
                    (
                        "\"pier-2\"",
                        article("Northern pier to reopen on Friday", &[P1, P2, P3, P4]),
                    )
                };
                if req.headers.get("if-none-match").map(String::as_str) == Some(etag) {
                    return Resp::status(304).header("ETag", etag);
                }
                Resp::ok("text/html", page).header("ETag", etag)
            }
            "/news/quiet" => {
                let etag = "\"quiet\"";
                if req.headers.get("if-none-match").map(String::as_str) == Some(etag) {
                    return Resp::status(304).header("ETag", etag);
                }
                Resp::ok("text/html", article("A quiet day at the port", &[P2, P3]))
                    .header("ETag", etag)
            }
            "/news/ferries" => Resp::ok("text/html", article("Ferries are back", &[P4, P1])),
            "/lastmod" => {
                let lm = "Wed, 21 Oct 2026 07:28:00 GMT";
                if req.headers.get("if-modified-since").map(String::as_str) == Some(lm) {
                    return Resp::status(304);
                }
                Resp::ok("text/html; charset=iso-8859-1", {
                    let mut page = article("Caf\u{e9} owners cheer", &[P3, P1]).into_bytes();
                    // Latin-1 on the wire: the é as one byte.
                    let s = String::from_utf8(page.clone()).unwrap();
                    page = encoding_rs::WINDOWS_1252.encode(&s).0.into_owned();
                    page
                })
                .header("Last-Modified", lm)
            }
            "/moved" => Resp::status(301).header("Location", &format!("{b}/news/quiet")),
            "/loop1" => Resp::status(302).header("Location", &format!("{b}/loop2")),
            "/loop2" => Resp::status(302).header("Location", &format!("{b}/loop1")),
            "/gone" => match phase {
                2 => Resp::status(404),
                1 => Resp::ok("text/html", article("Storm warning issued", &[P1, P2])),
                _ => Resp::ok("text/html", article("Storm warning lifted", &[P1, P2, P4])),
            },
            "/slow" => {
                let mut r = Resp::ok("text/html", article("Slow", &[P1]));
                r.delay = Duration::from_secs(3);
                r
            }
            "/big" => Resp::ok("text/html", article("Big", &[&"word ".repeat(40_000)])),
            "/collapse" => {
                if phase == 1 {
                    Resp::ok("text/html", article("Long report", &[P1, P2, P3, P4]))
                } else {
                    Resp::ok(
                        "text/html",
                        article("Long report", &["Subscribe to continue reading."]),
                    )
                }
            }
            "/hostile" => Resp::ok(
                "text/html",
                article(
                    "Evil \u{1b}]0;pwned\u{7} title",
                    &[
                        &format!("{P1} \u{1b}[31mRED\u{1b}[0m \u{1b}]52;c;ZXZpbA==\u{7}"),
                        P2,
                    ],
                ),
            ),
            "/badfeed.xml" => Resp::ok(
                "application/rss+xml",
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>x</ti",
            ),
            "/notarticle" => Resp::ok(
                "text/html",
                "<html><head></head><body><div></div></body></html>",
            ),
            "/private/page" => Resp::ok("text/html", article("Private", &[P1])),
            "/ticker" => {
                let stamp = if phase == 1 {
                    "Updated 3 minutes ago. 12 comments."
                } else {
                    "Updated 1 hour ago. 15 comments."
                };
                Resp::ok("text/html", article("Harbour live", &[P1, P2, stamp]))
            }
            "/gz" => {
                use std::io::Write as _;
                let mut gz =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                gz.write_all(article("Compressed report", &[P2, P3]).as_bytes())
                    .unwrap();
                Resp::ok("text/html", gz.finish().unwrap()).header("Content-Encoding", "gzip")
            }
            _ => Resp::status(404),
        }
    })
}

#[test]
fn watch_end_to_end_against_a_scripted_server() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    // The server's address is known only once it listens: the handler reads it from a cell.
    let base = Arc::new(Mutex::new(String::new()));
    let b2 = base.clone();
    let server = Server::start(Arc::new(move |phase, req| {
        site(b2.lock().unwrap().clone())(phase, req)
    }));
    *base.lock().unwrap() = server.addr.clone();
    // A second host that asks to be left alone.
    let busy = Server::start(Arc::new(|_, req: &Seen| match req.path.as_str() {
        "/robots.txt" => Resp::status(404),
        _ => Resp::status(429).header("Retry-After", "120"),
    }));
    write_config(home, "");
    let paths = [
        "/feed.xml",
        "/lastmod",
        "/moved",
        "/loop1",
        "/gone",
        "/slow",
        "/big",
        "/collapse",
        "/hostile",
        "/badfeed.xml",
        "/notarticle",
        "/private/page",
        "/ticker",
        "/gz",
    ];
    let mut urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    urls.push(busy.url("/busy"));
    let mut args = vec!["watch", "add"];
    args.extend(urls.iter().map(String::as_str));
    let (ok, out, err) = run(home, &args);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("watching: {}", server.url("/feed.xml"))),
        "{out}"
    );
    let (ok, _, err) = run(home, &["watch", "add", "ftp://x/y", "not a url"]);
    assert!(
        !ok && err.contains("not an http") && err.contains("spaces"),
        "{err}"
    );

    // Round 1.
    let (_, out, err) = run(home, &["watch", "run", "--once", "--all"]);
    assert!(out.starts_with("round 1"), "{out}\n{err}");
    for want in [
        "redirect loop",
        "timed out",
        "larger than 64 KB",
        "HTTP 429",
        "backing off 120 s",
        "malformed feed",
        "robots.txt disallows",
        "no article text",
        "feed: ",
        "2 new entries",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert!(
        !err.contains('\u{1b}') && !out.contains('\u{1b}'),
        "raw escape in output:\n{err}"
    );
    // Feed entries were fetched in the same round; the redirect followed to the page.
    assert_eq!(server.requests("/news/pier").len(), 1);
    assert!(
        server.requests("/news/quiet").len() >= 2,
        "entry and redirect target"
    );
    let ua = &server.requests("/feed.xml")[0].headers["user-agent"];
    assert!(ua.starts_with("stet/"), "{ua}");
    assert!(
        server.requests("/private/page").is_empty(),
        "robots.txt obeyed"
    );
    assert_eq!(busy.requests("/busy").len(), 1);

    // Round 2: the pier story changed, a new entry appeared, one page 404s, one collapses.
    server.set_phase(2);
    let (_, out, err) = run(home, &["watch", "run", "--once", "--all"]);
    assert!(out.contains("put off (host backing off)"), "{out}");
    assert_eq!(
        busy.requests("/busy").len(),
        1,
        "Retry-After honoured across runs"
    );
    let pier = server.requests("/news/pier");
    assert_eq!(
        pier[1].headers.get("if-none-match").map(String::as_str),
        Some("\"pier-1\"")
    );
    let quiet = server.requests("/news/quiet");
    assert!(quiet.last().unwrap().headers.contains_key("if-none-match"));
    let lm = server.requests("/lastmod");
    assert_eq!(
        lm[1].headers.get("if-modified-since").map(String::as_str),
        Some("Wed, 21 Oct 2026 07:28:00 GMT")
    );
    assert!(err.contains("1 new entry"), "{err}");
    assert!(err.contains("HTTP 404: gone since"), "{err}");
    assert!(err.contains("flagged suspect"), "{err}");
    assert!(err.contains("/news/pier v2"), "{err}");
    assert!(
        err.contains("/ticker v2 [minor]"),
        "only the time and counter changed: {err}"
    );

    // Round 3: the 404 page is back, changed: its versions go on.
    server.set_phase(3);
    let (_, _, err) = run(home, &["watch", "run", "--once", "--all"]);
    assert!(
        err.contains(&format!("{} v2", server.url("/gone"))),
        "{err}"
    );

    check_list(home, &server);
    check_corpus(home);
    check_exports(home, &server);
    // Remove keeps the versions and stops polling.
    let (ok, out, _) = run(home, &["watch", "remove", &server.url("/news/pier")]);
    assert!(ok && out.contains("versions kept"), "{out}");
    let before = server.requests("/news/pier").len();
    let _ = run(home, &["watch", "run", "--once", "--all"]);
    assert_eq!(server.requests("/news/pier").len(), before);
    let (_, out, _) = run(home, &["watch", "export", &server.url("/news/pier")]);
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn bad_watch_config_is_reported_with_its_line() {
    let home = tempfile::tempdir().unwrap();
    write_config(home.path(), "schedule = [\"1h:5m\"]\n");
    let (ok, _, err) = run(home.path(), &["watch", "list"]);
    assert!(!ok);
    assert!(err.contains("config.toml:5: watch.schedule"), "{err}");
}

#[test]
fn nothing_watched_says_how_to_start() {
    let home = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(home.path(), &["watch", "run", "--once"]);
    assert!(!ok && err.contains("stet watch add"), "{err}");
    let (ok, _, err) = run(home.path(), &["watch", "list"]);
    assert!(ok && err.contains("nothing watched"), "{err}");
    assert!(
        !home.path().join("data").join("watch").exists(),
        "list creates nothing"
    );
}

/// `stet watch list --json` after the three rounds.
fn check_list(home: &Path, server: &Server) {
    let (ok, out, _) = run(home, &["watch", "list", "--json"]);
    assert!(ok);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let entry = |u: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|w| w["url"] == u)
            .unwrap_or_else(|| panic!("{u} not listed: {out}"))
            .clone()
    };
    assert_eq!(entry(&server.url("/feed.xml"))["kind"], "feed");
    assert_eq!(entry(&server.url("/news/pier"))["versions"], 2);
    assert_eq!(entry(&server.url("/news/quiet"))["versions"], 1);
    assert_eq!(entry(&server.url("/gone"))["versions"], 2);
    assert_eq!(entry(&server.url("/collapse"))["suspect"], 1);
    assert_eq!(entry(&server.url("/lastmod"))["title"], "Café owners cheer");
    assert_eq!(
        entry(&server.url("/gz"))["title"],
        "Compressed report",
        "gzip decoded"
    );
    assert_eq!(
        entry(&server.url("/news/pier"))["feed"],
        server.url("/feed.xml")
    );
    let (_, plain, _) = run(home, &["watch", "list"]);
    assert!(
        plain.contains("(1 suspect)") && !plain.contains('\u{1b}'),
        "{plain}"
    );
}

/// `watch:` as a corpus after the three rounds: stories and a diff.
fn check_corpus(home: &Path) {
    // The versions are a corpus: one story per URL, the suspect version left out.
    let (ok, out, err) = run(home, &["stories", "watch:", "--json"]);
    assert!(ok, "{err}");
    let stories: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pier_story = stories["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["title"]
                .as_str()
                .unwrap_or("")
                .starts_with("Northern pier")
        })
        .unwrap_or_else(|| panic!("{out}"));
    let ids: Vec<&str> = pier_story["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{pier_story}");
    assert!(ids[0].ends_with("v1") && ids[1].ends_with("v2"), "{ids:?}");
    let collapse = stories["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "Long report")
        .unwrap();
    assert_eq!(
        collapse["articles"].as_array().unwrap().len(),
        1,
        "suspect version not in the corpus"
    );
    assert!(!out.contains('\u{1b}'));

    let (ok, out, err) = run(
        home,
        &["diff", ids[0], ids[1], "--corpus", "watch:", "--json"],
    );
    assert!(ok, "{err}");
    let diff: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(diff["stats"]["added"], 1, "{diff}");
    assert!(out.contains("timetables would return to normal"), "{out}");
}

/// The exports after the three rounds.
fn check_exports(home: &Path, server: &Server) {
    // Exports: JSONL (every version, suspect ones flagged) and the NewsEdits table, which
    // opens as a corpus.
    let (ok, out, _) = run(home, &["watch", "export"]);
    assert!(ok);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["suspect"] == true && l["url"] == server.url("/collapse"))
    );
    let hostile = lines
        .iter()
        .find(|l| l["url"] == server.url("/hostile"))
        .unwrap();
    assert!(
        hostile["text"].as_str().unwrap().contains("\u{1b}[31mRED"),
        "exports keep the text exactly"
    );
    assert!(!out.contains('\u{1b}'), "escaped in the JSON");
    for l in &lines {
        for k in ["url", "fetched", "title", "text", "version"] {
            assert!(l.get(k).is_some(), "{k} missing in {l}");
        }
    }
    let (ok, out, _) = run(home, &["watch", "export", &server.url("/news/pier")]);
    assert!(ok);
    assert_eq!(out.lines().count(), 2);
    let csv = home.join("newsedits.csv");
    let (ok, _, err) = run(
        home,
        &[
            "watch",
            "export",
            "--format",
            "newsedits",
            "-o",
            csv.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    let table = std::fs::read_to_string(&csv).unwrap();
    assert!(
        table.starts_with("entry_id,version,title,url,created,summary\n"),
        "{table}"
    );
    let (ok, out, err) = run(home, &["stories", csv.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let from_csv: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pier = from_csv["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["title"]
                .as_str()
                .unwrap_or("")
                .starts_with("Northern pier")
        })
        .unwrap();
    assert_eq!(pier["articles"].as_array().unwrap().len(), 2);
    let (ok, _, err) = run(home, &["watch", "export", "http://never.example/"]);
    assert!(!ok && err.contains("not watched"), "{err}");
}

#[test]
fn reader_shows_a_new_version_arrive_while_open() {
    let server = Server::start(Arc::new(|phase, req: &Seen| match req.path.as_str() {
        "/story" if phase == 1 => {
            Resp::ok("text/html", article("Harbour pier reopens", &[P1, P2, P3]))
        }
        "/story" => Resp::ok(
            "text/html",
            article("Harbour pier reopens", &[P1, P2, P3, P4]),
        ),
        _ => Resp::status(404),
    }));
    let no_proxy = ["NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1"];
    let Some(t) = crate::tmux_support::Tmux::start_with("watch", &no_proxy) else {
        return;
    };
    let home = t.dir.path();
    write_config(home, "schedule = [\"*:1s\"]\n");
    let url = server.url("/story");
    assert!(run(home, &["watch", "add", &url]).0);
    let (_, out, err) = run(home, &["watch", "run", "--once"]);
    assert!(out.contains("1 new version"), "{out}\n{err}");
    server.set_phase(2);
    // The reader on the archive: one version shown, then the poller brings the second.
    t.run_stet("watch:");
    let s = t.wait_for("the new version to arrive", |s| s.contains("+  2 "));
    assert!(s.contains("Harbour pier reopens"), "{s}");
    assert!(s.contains("1 new version arrived"), "{s}");
    // `d` compares the two consecutive versions.
    t.keys(&["d"]);
    let s = t.wait_for("the diff", |s| s.contains("1 added") && s.contains("B: v2"));
    assert!(!s.contains('\u{1b}'));
    t.keys(&["Escape"]);
    t.wait_for("the list", |s| s.contains("sort: newest"));
    t.quit_and_check_restored();
}
