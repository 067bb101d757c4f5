//! A minimal SPARQL endpoint over HTTP (SPARQL 1.1 Protocol, query only) for a store: lets
//! other tools — and other stores' `SERVICE` clauses — query the graph on loopback.
//!
//! Entry point: [`serve`]. Queries: `GET /query?query=…`, or `POST /query` with
//! `application/sparql-query` or `application/x-www-form-urlencoded` bodies. Results are SPARQL
//! JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use crate::store::{NewsStore, QueryOptions, ResultFormat};

/// Largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// Serves queries on `listener` until `max_requests` have been answered (forever if `None`).
pub fn serve(
    store: &NewsStore,
    listener: &TcpListener,
    max_requests: Option<usize>,
    timeout: Duration,
) -> std::io::Result<()> {
    for (i, stream) in listener.incoming().enumerate() {
        let mut stream = stream?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        // A broken connection is the client's problem, not the server's.
        let _ = handle(store, &mut stream, timeout);
        if max_requests.is_some_and(|m| i + 1 >= m) {
            break;
        }
    }
    Ok(())
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

fn handle(store: &NewsStore, stream: &mut TcpStream, timeout: Duration) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut content_type = String::new();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-type" => content_type = v.trim().to_ascii_lowercase(),
                "content-length" => length = v.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let (path, query_string) = target.split_once('?').unwrap_or((target, ""));
    if path != "/query" && path != "/sparql" {
        return respond(stream, "404 Not Found", "text/plain", b"use /query\n");
    }
    let from_form = |s: &str| {
        form_urlencoded::parse(s.as_bytes())
            .find(|(k, _)| k == "query")
            .map(|(_, v)| v.into_owned())
    };
    let query = match method {
        "GET" => from_form(query_string),
        "POST" => {
            if length > MAX_BODY {
                return respond(
                    stream,
                    "413 Payload Too Large",
                    "text/plain",
                    b"query too large\n",
                );
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body)?;
            let body = String::from_utf8_lossy(&body).into_owned();
            if content_type.starts_with("application/sparql-query") {
                Some(body)
            } else {
                from_form(&body)
            }
        }
        _ => {
            return respond(
                stream,
                "405 Method Not Allowed",
                "text/plain",
                b"use GET or POST\n",
            )
        }
    };
    let Some(query) = query else {
        return respond(stream, "400 Bad Request", "text/plain", b"missing query\n");
    };
    let opts = QueryOptions {
        timeout: Some(timeout),
        // The protocol has no --bind: a scoped query file's text runs as written.
        all: true,
        ..Default::default()
    };
    let mut out = Vec::new();
    match store.run_query(&query, "request", &opts, ResultFormat::Json, &mut out) {
        Ok(()) => {
            let ct = if out.first() == Some(&b'{') {
                "application/sparql-results+json"
            } else {
                "application/n-triples"
            };
            respond(stream, "200 OK", ct, &out)
        }
        Err(e) => respond(
            stream,
            "400 Bad Request",
            "text/plain",
            format!("{e}\n").as_bytes(),
        ),
    }
}
