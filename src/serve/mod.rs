//! `newsgraph serve`: the web interface ([`crate::web`]) and a query-only SPARQL 1.1 Protocol
//! endpoint (`/query`, [`sparql`]) over a store, on a bounded pool of worker threads.
//!
//! Entry point: [`serve`]. One request per connection (`Connection: close`); the head is parsed
//! by `httparse`; bodies are read only for `POST /query` and only up to [`Limits::max_body`].
//! The server never writes: the store is opened by the caller, which holds its lock, so nothing
//! else can change it while it is served (the pages may cache what they read).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

use crate::web::{Page, Site};

pub mod sparql;

/// What one request may cost the server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Worker threads: at most this many requests are handled at once.
    pub workers: usize,
    /// Connections accepted and waiting for a worker; the accept loop blocks beyond that, and
    /// the kernel's backlog holds the rest.
    pub queue: usize,
    /// Largest request body (`POST /query`), in bytes.
    pub max_body: usize,
    /// Largest request head (request line and headers), in bytes.
    pub max_head: usize,
    /// A `/query` request is cancelled after this long.
    pub query_timeout: Duration,
    /// A `/query` result with more rows (or triples) than this is refused.
    pub max_rows: usize,
    /// A client that sends nothing for this long is dropped.
    pub read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            workers: 4,
            queue: 64,
            max_body: 1 << 20,
            max_head: 16 << 10,
            query_timeout: Duration::from_secs(30),
            max_rows: 10_000,
            read_timeout: Duration::from_secs(10),
        }
    }
}

/// One parsed request.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query_string: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Serves `site` (the pages and `/query` of its store) on `listener` until `max_requests`
/// connections have been answered (forever if `None`). Each connection carries one request;
/// a connection that fails to open is skipped.
pub fn serve(
    site: &Site<'_>,
    listener: &TcpListener,
    max_requests: Option<usize>,
    limits: &Limits,
) -> std::io::Result<()> {
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(limits.queue);
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        for _ in 0..limits.workers.max(1) {
            scope.spawn(|| loop {
                let next = rx.lock().map(|r| r.recv());
                let Ok(Ok(mut stream)) = next else { break };
                // A broken connection is the client's problem, not the server's.
                let _ = handle(site, &mut stream, limits);
            });
        }
        let mut accepted = 0usize;
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            if tx.send(stream).is_err() {
                break;
            }
            accepted += 1;
            if max_requests.is_some_and(|m| accepted >= m) {
                break;
            }
        }
        // The workers end when the queue is empty and closed; the scope waits for them.
        drop(tx);
    });
    Ok(())
}

fn handle(site: &Site<'_>, stream: &mut TcpStream, limits: &Limits) -> std::io::Result<()> {
    stream.set_read_timeout(Some(limits.read_timeout))?;
    stream.set_write_timeout(Some(limits.read_timeout))?;
    let (page, head_only) = match read_request(stream, limits) {
        Ok(req) => (route(site, &req, limits), req.method == "HEAD"),
        Err(page) => (page, false),
    };
    write_response(stream, &page, head_only)
}

fn route(site: &Site<'_>, req: &Request, limits: &Limits) -> Page {
    match req.path.as_str() {
        "/query" | "/sparql" => sparql::answer(site.store(), req, limits),
        _ => match req.method.as_str() {
            "GET" | "HEAD" => site.page(&req.path, &req.query_string),
            _ => Page::text(
                405,
                "pages are read with GET; only /query takes POST (SPARQL queries, never updates)\n",
            ),
        },
    }
}

/// Reads the request head (at most `max_head` bytes) and, for a POST, its body; an `Err` is
/// the error page to answer with.
fn read_request(stream: &mut TcpStream, limits: &Limits) -> Result<Request, Page> {
    let mut reader = BufReader::new(stream.try_clone().map_err(|_| Page::text(500, "\n"))?);
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let n = reader
            .by_ref()
            .take((limits.max_head + 1 - before) as u64)
            .read_until(b'\n', &mut head)
            .map_err(|_| Page::text(408, "the request was not received in time\n"))?;
        if head.len() > limits.max_head {
            return Err(Page::text(431, "request head too large\n"));
        }
        if n == 0 {
            return Err(Page::text(400, "incomplete request\n"));
        }
        if head.ends_with(b"\r\n\r\n") || head.ends_with(b"\n\n") {
            break;
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err(Page::text(400, "malformed HTTP request\n")),
    }
    let method = parsed.method.unwrap_or("").to_owned();
    let target = parsed.path.unwrap_or("/");
    let (path, query_string) = target.split_once('?').unwrap_or((target, ""));
    let mut content_type = String::new();
    let mut length = 0usize;
    for h in parsed.headers.iter() {
        let value = String::from_utf8_lossy(h.value).trim().to_owned();
        if h.name.eq_ignore_ascii_case("content-type") {
            content_type = value.to_ascii_lowercase();
        } else if h.name.eq_ignore_ascii_case("content-length") {
            length = value
                .parse()
                .map_err(|_| Page::text(400, "bad Content-Length\n"))?;
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(Page::text(
                411,
                "chunked bodies are not taken: send a Content-Length\n",
            ));
        }
    }
    let mut body = Vec::new();
    if length > 0 {
        if length > limits.max_body {
            return Err(Page::text(
                413,
                &format!(
                    "request body of {length} bytes is over the limit of {} bytes\n",
                    limits.max_body
                ),
            ));
        }
        body.resize(length, 0);
        reader
            .read_exact(&mut body)
            .map_err(|_| Page::text(400, "incomplete request body\n"))?;
    }
    Ok(Request {
        method,
        path: path.to_owned(),
        query_string: query_string.to_owned(),
        content_type,
        body,
    })
}

fn write_response(stream: &mut TcpStream, page: &Page, head_only: bool) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         X-Content-Type-Options: nosniff\r\n\
         Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'\r\n\
         Connection: close\r\n\r\n",
        page.status,
        reason(page.status),
        page.content_type,
        page.body.len()
    )?;
    if !head_only {
        stream.write_all(&page.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}
