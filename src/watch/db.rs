//! The watch archive: `watch.db` in `watch/` of the user data directory (SQLite, WAL,
//! `synchronous = FULL`, `PRAGMA user_version` migrations, a damaged file moved aside and
//! reported, a folder that cannot be written opened read-only). One archive for all watched
//! URLs, not one per corpus: the watch list is the user's, and its snapshots cannot be fetched
//! again, so they live with the user data, never in the cache.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::store::user::{dir_writable, integrity_problem, move_aside, open_rw};

/// The database file in the watch folder.
pub(crate) const DB_FILE: &str = "watch.db";
/// The schema this stet writes.
pub(crate) const SCHEMA_VERSION: i64 = 1;

const SCHEMA_V1: &str = "
CREATE TABLE urls (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'unknown',
    feed_id INTEGER,
    active INTEGER NOT NULL DEFAULT 1,
    added_at INTEGER NOT NULL,
    first_fetched INTEGER,
    last_fetch INTEGER,
    next_due INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_status INTEGER,
    last_error TEXT,
    gone_since INTEGER,
    title TEXT
);
CREATE INDEX urls_due ON urls(active, next_due);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    url_id INTEGER NOT NULL REFERENCES urls(id),
    number INTEGER NOT NULL,
    fetched_at INTEGER NOT NULL,
    status INTEGER NOT NULL,
    final_url TEXT,
    content_type TEXT,
    title TEXT,
    text TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    minor INTEGER NOT NULL,
    suspect INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    raw_gzip BLOB,
    UNIQUE (url_id, number)
);
CREATE TABLE hosts (
    host TEXT PRIMARY KEY,
    blocked_until INTEGER
);
";

/// Errors of the watch archive.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WatchDbError {
    /// SQLite failed.
    #[error("{path}: {source}")]
    Sqlite {
        /// The database.
        path: PathBuf,
        /// What failed.
        source: rusqlite::Error,
    },
    /// Opening failed (a damaged file that could not be moved aside…).
    #[error("{0}")]
    Open(String),
    /// A write to an archive opened read-only.
    #[error("{0}: the watch archive is open read-only ({1})")]
    ReadOnly(PathBuf, String),
}

/// What a watched URL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Not fetched yet.
    Unknown,
    /// A feed: its entries are watched.
    Feed,
    /// An article page: its versions are kept.
    Page,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Unknown => "unknown",
            Kind::Feed => "feed",
            Kind::Page => "page",
        }
    }
    fn parse(s: &str) -> Kind {
        match s {
            "feed" => Kind::Feed,
            "page" => Kind::Page,
            _ => Kind::Unknown,
        }
    }
}

/// One watched URL.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Watched {
    /// Row id.
    #[serde(skip)]
    pub id: i64,
    /// The URL as added.
    pub url: String,
    /// `unknown`, `feed` or `page`.
    pub kind: &'static str,
    /// The feed it was found in.
    pub feed: Option<String>,
    /// Still polled (false after `stet watch remove`).
    pub active: bool,
    /// When it was added (seconds since the epoch).
    pub added_at: i64,
    /// When it was first fetched.
    pub first_fetched: Option<i64>,
    /// When it was last fetched.
    pub last_fetch: Option<i64>,
    /// When it is due again.
    pub next_due: i64,
    /// The last answer's status.
    pub last_status: Option<i64>,
    /// The last problem.
    pub last_error: Option<String>,
    /// Since when it answers 404/410.
    pub gone_since: Option<i64>,
    /// Its title (the feed's or the latest version's).
    pub title: Option<String>,
    /// Versions kept.
    pub versions: i64,
    /// Of which flagged suspect.
    pub suspect: i64,
    /// `ETag` as received.
    #[serde(skip)]
    pub etag: Option<String>,
    /// `Last-Modified` as received.
    #[serde(skip)]
    pub last_modified: Option<String>,
}

impl Watched {
    /// What it is.
    pub(crate) fn kind(&self) -> Kind {
        Kind::parse(self.kind)
    }
}

/// One kept version of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    /// The page's URL (as watched).
    pub url: String,
    /// 1, 2, … in fetch order.
    pub number: i64,
    /// When it was fetched (seconds since the epoch).
    pub fetched_at: i64,
    /// HTTP status.
    pub status: i64,
    /// The URL after redirects.
    pub final_url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Main text.
    pub text: String,
    /// Typography-insensitive fingerprint.
    pub fingerprint: String,
    /// Only dates, times or counters changed from the version before.
    pub minor: bool,
    /// The extraction lost more than half the text: kept, not the current version.
    pub suspect: bool,
}

/// A version about to be stored.
#[derive(Debug, Clone)]
pub(crate) struct NewVersion<'a> {
    /// When fetched.
    pub fetched_at: i64,
    /// HTTP status.
    pub status: u16,
    /// After redirects.
    pub final_url: &'a str,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// Headline.
    pub title: Option<&'a str>,
    /// Main text.
    pub text: &'a str,
    /// Fingerprint.
    pub fingerprint: &'a str,
    /// Minor change.
    pub minor: bool,
    /// Suspect extraction.
    pub suspect: bool,
    /// Validators.
    pub etag: Option<&'a str>,
    /// Validators.
    pub last_modified: Option<&'a str>,
    /// The page as received.
    pub raw: &'a [u8],
}

/// What `add` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Added {
    /// Newly watched.
    New,
    /// Watched again after a remove.
    Resumed,
    /// Already watched.
    Already,
}

/// The watch archive, open.
#[derive(Debug)]
pub(crate) struct WatchStore {
    conn: Connection,
    path: PathBuf,
    read_only: Option<String>,
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

const WATCHED_COLUMNS: &str =
    "u.id, u.url, u.kind, (SELECT f.url FROM urls f WHERE f.id = u.feed_id),
    u.active, u.added_at, u.first_fetched, u.last_fetch, u.next_due, u.last_status,
    u.last_error, u.gone_since, u.title,
    (SELECT count(*) FROM versions v WHERE v.url_id = u.id),
    (SELECT count(*) FROM versions v WHERE v.url_id = u.id AND v.suspect = 1),
    u.etag, u.last_modified";

fn watched_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Watched> {
    Ok(Watched {
        id: r.get(0)?,
        url: r.get(1)?,
        kind: Kind::parse(&r.get::<_, String>(2)?).as_str(),
        feed: r.get(3)?,
        active: r.get::<_, i64>(4)? != 0,
        added_at: r.get(5)?,
        first_fetched: r.get(6)?,
        last_fetch: r.get(7)?,
        next_due: r.get(8)?,
        last_status: r.get(9)?,
        last_error: r.get(10)?,
        gone_since: r.get(11)?,
        title: r.get(12)?,
        versions: r.get(13)?,
        suspect: r.get(14)?,
        etag: r.get(15)?,
        last_modified: r.get(16)?,
    })
}

fn version_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Version> {
    Ok(Version {
        url: r.get(0)?,
        number: r.get(1)?,
        fetched_at: r.get(2)?,
        status: r.get(3)?,
        final_url: r.get(4)?,
        title: r.get(5)?,
        text: r.get(6)?,
        fingerprint: r.get(7)?,
        minor: r.get::<_, i64>(8)? != 0,
        suspect: r.get::<_, i64>(9)? != 0,
    })
}

const VERSION_COLUMNS: &str = "u.url, v.number, v.fetched_at, v.status, v.final_url, v.title,
    v.text, v.fingerprint, v.minor, v.suspect";

impl WatchStore {
    /// The watch folder of the user data directory `data`.
    pub(crate) fn dir_in(data: &Path) -> PathBuf {
        data.join("watch")
    }

    /// Opens (creating and migrating) the archive in `dir`; problems met on the way (a damaged
    /// database moved aside, a folder that cannot be written) come back as lines to show.
    pub(crate) fn open(dir: &Path) -> Result<(WatchStore, Vec<String>), WatchDbError> {
        let _ = std::fs::create_dir_all(dir);
        let path = dir.join(DB_FILE);
        let err = |e: rusqlite::Error| WatchDbError::Sqlite {
            path: path.clone(),
            source: e,
        };
        if !dir_writable(dir) {
            let reason = format!("the folder {} cannot be written", dir.display());
            let mut store = WatchStore::open_read_only(dir)?;
            store.read_only = Some(reason.clone());
            return Ok((
                store,
                vec![format!("{}: read-only: {reason}", path.display())],
            ));
        }
        let mut problems = Vec::new();
        let existed = path.exists();
        let open = |p: &Path| open_rw(p).map_err(|e| WatchDbError::Open(e.to_string()));
        let mut conn = open(&path)?;
        if existed && let Some(why) = integrity_problem(&conn) {
            drop(conn);
            let aside = move_aside(&path).map_err(|e| WatchDbError::Open(e.to_string()))?;
            problems.push(format!(
                "{}: the watch archive is damaged ({why}); kept as {}; a new one is started",
                path.display(),
                aside.display()
            ));
            conn = open(&path)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        let mut read_only = None;
        if version > SCHEMA_VERSION {
            read_only = Some(format!(
                "written by a newer stet (schema {version}; this one knows {SCHEMA_VERSION})"
            ));
        } else if version < 1 {
            let tx = conn.transaction().map_err(err)?;
            tx.execute_batch(SCHEMA_V1).map_err(err)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok((
            WatchStore {
                conn,
                path,
                read_only,
            },
            problems,
        ))
    }

    /// Opens the archive in `dir` for reading only; an empty in-memory archive when there is
    /// none yet (nothing is created).
    pub(crate) fn open_read_only(dir: &Path) -> Result<WatchStore, WatchDbError> {
        let path = dir.join(DB_FILE);
        let err = |e: rusqlite::Error| WatchDbError::Sqlite {
            path: path.clone(),
            source: e,
        };
        let conn = if path.exists() {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let c = Connection::open_with_flags(&path, flags).map_err(err)?;
            let _ = c.busy_timeout(std::time::Duration::from_secs(10));
            let v: i64 = c
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(err)?;
            if v < 1 {
                empty_archive().map_err(err)?
            } else {
                c
            }
        } else {
            empty_archive().map_err(err)?
        };
        Ok(WatchStore {
            conn,
            path,
            read_only: Some("opened for reading".into()),
        })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> WatchDbError + '_ {
        |e| WatchDbError::Sqlite {
            path: self.path.clone(),
            source: e,
        }
    }

    fn writable(&self) -> Result<(), WatchDbError> {
        match &self.read_only {
            Some(r) => Err(WatchDbError::ReadOnly(self.path.clone(), r.clone())),
            None => Ok(()),
        }
    }

    /// Watches `url` (found in the feed `feed`, when given), due now. A URL removed earlier is
    /// watched again when added by hand, never when a feed names it again.
    pub(crate) fn add(
        &mut self,
        url: &str,
        feed: Option<i64>,
        now: i64,
    ) -> Result<Added, WatchDbError> {
        self.writable()?;
        let existing: Option<(i64, i64)> = self
            .conn
            .query_row("SELECT id, active FROM urls WHERE url = ?1", [url], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(self.err())?;
        match existing {
            Some((_, 1)) => Ok(Added::Already),
            Some(_) if feed.is_some() => Ok(Added::Already),
            Some((id, _)) => {
                self.conn
                    .execute(
                        "UPDATE urls SET active = 1, next_due = ?2 WHERE id = ?1",
                        params![id, now],
                    )
                    .map_err(self.err())?;
                Ok(Added::Resumed)
            }
            None => {
                self.conn
                    .execute(
                        "INSERT INTO urls(url, feed_id, added_at, next_due) VALUES (?1, ?2, ?3, ?3)",
                        params![url, feed, now],
                    )
                    .map_err(self.err())?;
                Ok(Added::New)
            }
        }
    }

    /// Stops polling `url` (and, for a feed, the pages found only through it stay watched);
    /// its versions are kept. False when it was not watched.
    pub(crate) fn remove(&mut self, url: &str) -> Result<bool, WatchDbError> {
        self.writable()?;
        let n = self
            .conn
            .execute(
                "UPDATE urls SET active = 0 WHERE url = ?1 AND active = 1",
                [url],
            )
            .map_err(self.err())?;
        Ok(n > 0)
    }

    /// Every URL ever watched, in the order added.
    pub(crate) fn list(&self) -> Result<Vec<Watched>, WatchDbError> {
        let sql = format!("SELECT {WATCHED_COLUMNS} FROM urls u ORDER BY u.id");
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt.query_map([], watched_row).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The active URLs due at `now` (all active ones with `all`), most overdue first; feeds
    /// before pages when equally due.
    pub(crate) fn due(&self, now: i64, all: bool) -> Result<Vec<Watched>, WatchDbError> {
        let sql = format!(
            "SELECT {WATCHED_COLUMNS} FROM urls u WHERE u.active = 1 AND (?2 OR u.next_due <= ?1)
             ORDER BY u.next_due, u.kind != 'feed', u.id"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(params![now, all], watched_row)
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The soonest time an active URL is due, if any is watched.
    pub(crate) fn next_due(&self) -> Result<Option<i64>, WatchDbError> {
        self.conn
            .query_row("SELECT min(next_due) FROM urls WHERE active = 1", [], |r| {
                r.get(0)
            })
            .map_err(self.err())
    }

    /// Records a fetch of URL `id`: when, the status (None: no answer), the problem, when it is
    /// due again, the kind found, and the validators (kept as they were when None).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record_fetch(
        &mut self,
        id: i64,
        now: i64,
        status: Option<u16>,
        error: Option<&str>,
        next_due: i64,
        kind: Option<Kind>,
        validators: Option<(Option<&str>, Option<&str>)>,
    ) -> Result<(), WatchDbError> {
        self.writable()?;
        let gone = status.is_some_and(|s| s == 404 || s == 410);
        let answered = status.is_some_and(|s| (200..400).contains(&s));
        let path = self.path.clone();
        let err = move |e| WatchDbError::Sqlite {
            path: path.clone(),
            source: e,
        };
        let tx = self.conn.transaction().map_err(&err)?;
        let run = || -> rusqlite::Result<()> {
            tx.execute(
                "UPDATE urls SET last_fetch = ?2, last_status = coalesce(?3, last_status),
                    last_error = ?4, next_due = ?5,
                    first_fetched = CASE WHEN ?7 THEN coalesce(first_fetched, ?2) ELSE first_fetched END,
                    gone_since = CASE WHEN ?6 THEN coalesce(gone_since, ?2)
                                      WHEN ?7 THEN NULL ELSE gone_since END
                 WHERE id = ?1",
                params![id, now, status, error, next_due, gone, answered],
            )?;
            if let Some(k) = kind {
                tx.execute(
                    "UPDATE urls SET kind = ?2 WHERE id = ?1",
                    params![id, k.as_str()],
                )?;
            }
            if let Some((etag, lm)) = validators {
                tx.execute(
                    "UPDATE urls SET etag = ?2, last_modified = ?3 WHERE id = ?1",
                    params![id, etag, lm],
                )?;
            }
            Ok(())
        };
        run().map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// Sets the title shown for URL `id`.
    pub(crate) fn set_title(&mut self, id: i64, title: Option<&str>) -> Result<(), WatchDbError> {
        self.writable()?;
        self.conn
            .execute(
                "UPDATE urls SET title = ?2 WHERE id = ?1",
                params![id, title],
            )
            .map_err(self.err())?;
        Ok(())
    }

    /// The last version kept of URL `id` (suspect or not).
    pub(crate) fn latest(&self, id: i64) -> Result<Option<Version>, WatchDbError> {
        self.one_version(id, "")
    }

    /// The current version of URL `id`: the last one not flagged suspect.
    pub(crate) fn current(&self, id: i64) -> Result<Option<Version>, WatchDbError> {
        self.one_version(id, "AND v.suspect = 0")
    }

    fn one_version(&self, id: i64, filter: &str) -> Result<Option<Version>, WatchDbError> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM versions v JOIN urls u ON u.id = v.url_id
             WHERE v.url_id = ?1 {filter} ORDER BY v.number DESC LIMIT 1"
        );
        self.conn
            .query_row(&sql, [id], version_row)
            .optional()
            .map_err(self.err())
    }

    /// Stores a new version of URL `id` (its raw page gzip-compressed) in one transaction; its
    /// number.
    pub(crate) fn add_version(&mut self, id: i64, v: &NewVersion<'_>) -> Result<i64, WatchDbError> {
        self.writable()?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let raw = gz.write_all(v.raw).and_then(|()| gz.finish()).ok();
        let path = self.path.clone();
        let err = move |e| WatchDbError::Sqlite {
            path: path.clone(),
            source: e,
        };
        let tx = self.conn.transaction().map_err(&err)?;
        let number: i64 = tx
            .query_row(
                "SELECT coalesce(max(number), 0) + 1 FROM versions WHERE url_id = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(&err)?;
        tx.execute(
            "INSERT INTO versions(url_id, number, fetched_at, status, final_url, content_type,
                title, text, fingerprint, minor, suspect, etag, last_modified, raw_gzip)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                id,
                number,
                v.fetched_at,
                v.status,
                v.final_url,
                v.content_type,
                v.title,
                v.text,
                v.fingerprint,
                v.minor,
                v.suspect,
                v.etag,
                v.last_modified,
                raw
            ],
        )
        .map_err(&err)?;
        if !v.suspect {
            tx.execute(
                "UPDATE urls SET title = ?2 WHERE id = ?1",
                params![id, v.title],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(number)
    }

    /// Every version of the URLs `urls` (all when empty), by URL then number.
    pub(crate) fn versions(&self, urls: &[String]) -> Result<Vec<Version>, WatchDbError> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM versions v JOIN urls u ON u.id = v.url_id
             ORDER BY u.id, v.number"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt.query_map([], version_row).map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let v = row.map_err(self.err())?;
            if urls.is_empty() || urls.contains(&v.url) {
                out.push(v);
            }
        }
        Ok(out)
    }

    #[cfg(test)]
    /// The raw page of version `number` of `url`, decompressed.
    pub(crate) fn raw(&self, url: &str, number: i64) -> Result<Option<Vec<u8>>, WatchDbError> {
        let blob: Option<Option<Vec<u8>>> = self
            .conn
            .query_row(
                "SELECT v.raw_gzip FROM versions v JOIN urls u ON u.id = v.url_id
                 WHERE u.url = ?1 AND v.number = ?2",
                params![url, number],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        Ok(blob.flatten().map(|b| {
            let mut out = Vec::new();
            let _ = std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&b[..]), &mut out);
            out
        }))
    }

    /// Hosts backing off (429/5xx) past `now`, with until when.
    pub(crate) fn blocked_hosts(&self, now: i64) -> Result<Vec<(String, i64)>, WatchDbError> {
        let mut stmt = self
            .conn
            .prepare("SELECT host, blocked_until FROM hosts WHERE blocked_until > ?1")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Records that `host` is to be left alone until `until`.
    pub(crate) fn block_host(&mut self, host: &str, until: i64) -> Result<(), WatchDbError> {
        self.writable()?;
        self.conn
            .execute(
                "INSERT INTO hosts(host, blocked_until) VALUES (?1, ?2)
                 ON CONFLICT(host) DO UPDATE SET blocked_until = excluded.blocked_until",
                params![host, until],
            )
            .map_err(self.err())?;
        Ok(())
    }

    #[cfg(test)]
    /// The row id of `url`.
    pub(crate) fn id_of(&self, url: &str) -> Result<Option<i64>, WatchDbError> {
        self.conn
            .query_row("SELECT id FROM urls WHERE url = ?1", [url], |r| r.get(0))
            .optional()
            .map_err(self.err())
    }
}

/// An empty archive in memory, with the schema (for reading where none exists yet).
fn empty_archive() -> rusqlite::Result<Connection> {
    let c = Connection::open_in_memory()?;
    c.execute_batch(SCHEMA_V1)?;
    Ok(c)
}

/// Now, in seconds since the epoch.
pub(crate) fn now() -> i64 {
    now_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version<'a>(text: &'a str, fp: &'a str, suspect: bool) -> NewVersion<'a> {
        NewVersion {
            fetched_at: 100,
            status: 200,
            final_url: "http://h/a",
            content_type: Some("text/html"),
            title: Some("T"),
            text,
            fingerprint: fp,
            minor: false,
            suspect,
            etag: None,
            last_modified: None,
            raw: b"<html>raw</html>",
        }
    }

    #[test]
    fn add_remove_versions_and_reopen() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut s, problems) = WatchStore::open(tmp.path()).unwrap();
        assert!(problems.is_empty());
        assert_eq!(s.add("http://h/a", None, 10).unwrap(), Added::New);
        assert_eq!(s.add("http://h/a", None, 10).unwrap(), Added::Already);
        let id = s.id_of("http://h/a").unwrap().unwrap();
        assert_eq!(s.add_version(id, &version("one", "f1", false)).unwrap(), 1);
        assert_eq!(s.add_version(id, &version("o", "f2", true)).unwrap(), 2);
        assert_eq!(s.current(id).unwrap().unwrap().text, "one");
        assert_eq!(s.latest(id).unwrap().unwrap().number, 2);
        assert_eq!(
            s.raw("http://h/a", 1).unwrap().unwrap(),
            b"<html>raw</html>"
        );
        assert!(s.remove("http://h/a").unwrap());
        assert!(s.due(1000, true).unwrap().is_empty());
        assert_eq!(s.add("http://h/a", None, 20).unwrap(), Added::Resumed);
        drop(s);
        let r = WatchStore::open_read_only(tmp.path()).unwrap();
        let list = r.list().unwrap();
        assert_eq!((list[0].versions, list[0].suspect), (2, 1));
        assert_eq!(r.versions(&[]).unwrap().len(), 2);
    }

    #[test]
    fn damaged_archive_is_moved_aside_not_lost() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join(DB_FILE),
            b"this is not a database, but keep it",
        )
        .unwrap();
        let (s, problems) = WatchStore::open(tmp.path()).unwrap();
        assert!(problems[0].contains("damaged"), "{problems:?}");
        assert!(s.list().unwrap().is_empty());
        let kept = std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("watch.db.corrupt-")
            });
        assert!(kept);
    }

    #[test]
    fn read_only_without_archive_is_empty_and_creates_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("watch");
        let r = WatchStore::open_read_only(&dir).unwrap();
        assert!(r.list().unwrap().is_empty());
        assert!(!dir.exists());
    }
}
