//! Real SPARQL servers on loopback for the push tests: Oxigraph server (PyPI `oxigraph`, in the
//! tests' venv) and Virtuoso (Debian `virtuoso-opensource`). Each runs in a temp dir and is
//! killed when its handle drops. A machine without them fails the test with what to install.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
use oxhttp::model::{Method, Request};

/// A free loopback port (bound, then released for the server to take).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until `port` accepts connections.
fn wait_for(port: u16, child: &mut Child, what: &str, limit: Duration) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited ({status}) before listening on port {port}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not listen on port {port} within {limit:?}");
}

/// `oxigraph serve` (PyPI oxigraph) on a store directory.
pub struct Oxigraph {
    child: Option<Child>,
    pub port: u16,
    location: PathBuf,
}

impl Oxigraph {
    pub fn start(location: &Path) -> Oxigraph {
        let mut s = Oxigraph {
            child: None,
            port: free_port(),
            location: location.to_owned(),
        };
        s.restart();
        s
    }

    /// The `oxigraph` command of the tests' venv.
    pub fn command() -> PathBuf {
        let python = super::python();
        let bin = python.parent().unwrap().join("oxigraph");
        assert!(
            bin.exists(),
            "{} is missing: the tests' venv installs PyPI oxigraph (tests/requirements.txt)",
            bin.display()
        );
        bin
    }

    /// Starts the server (again) on the same port and location.
    pub fn restart(&mut self) {
        let mut child = Command::new(Self::command())
            .arg("serve")
            .arg("--location")
            .arg(&self.location)
            .arg("--bind")
            .arg(format!("127.0.0.1:{}", self.port))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("oxigraph serve starts");
        wait_for(
            self.port,
            &mut child,
            "oxigraph serve",
            Duration::from_secs(30),
        );
        self.child = Some(child);
    }

    /// Kills the server (as a crash would: no shutdown).
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Oxigraph {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Debian's Virtuoso (`virtuoso-t`) with its files and both ports in a temp dir, SPARQL
/// Update granted to the anonymous SPARQL user through `isql-vt`.
pub struct Virtuoso {
    child: Child,
    pub http_port: u16,
    pub dir: PathBuf,
}

impl Virtuoso {
    pub fn start(dir: &Path) -> Virtuoso {
        let ini = Path::new("/etc/virtuoso-opensource-7/virtuoso.ini");
        assert!(
            ini.exists() && Path::new("/usr/bin/virtuoso-t").exists(),
            "this test needs Virtuoso. Note: apt-get install virtuoso-opensource (.ci/run does)"
        );
        std::fs::create_dir_all(dir).unwrap();
        let (sql_port, http_port) = (free_port(), free_port());
        let d = dir.display().to_string();
        let mut text = String::new();
        let mut ports = 0;
        for line in std::fs::read_to_string(ini).unwrap().lines() {
            let key = line.split('=').next().unwrap_or("").trim();
            let line = line.replace("/var/lib/virtuoso-opensource-7/db/", &format!("{d}/"));
            let line = match key {
                // The first ServerPort is the SQL one ([Parameters]), the second HTTP's.
                "ServerPort" => {
                    ports += 1;
                    format!(
                        "ServerPort = {}",
                        if ports == 1 { sql_port } else { http_port }
                    )
                }
                "DirsAllowed" => {
                    format!("DirsAllowed = {d}, ., /usr/share/virtuoso-opensource-7/vad")
                }
                _ => line,
            };
            text.push_str(&line);
            text.push('\n');
        }
        let config = dir.join("virtuoso.ini");
        std::fs::write(&config, text).unwrap();
        let mut child = Command::new("virtuoso-t")
            .arg("+foreground")
            .arg("+configfile")
            .arg(&config)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("virtuoso-t starts");
        wait_for(
            http_port,
            &mut child,
            "virtuoso-t",
            Duration::from_secs(120),
        );
        let v = Virtuoso {
            child,
            http_port,
            dir: dir.to_owned(),
        };
        v.isql(sql_port, "GRANT SPARQL_UPDATE TO \"SPARQL\";");
        v
    }

    fn isql(&self, port: u16, statement: &str) {
        let out = Command::new("isql-vt")
            .arg(port.to_string())
            .args(["dba", "dba"])
            .arg(format!("exec={statement}"))
            .output()
            .expect("isql-vt runs");
        assert!(
            out.status.success(),
            "isql-vt {statement}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.http_port)
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a SELECT query on a remote endpoint; the rows of its CSV answer (header first).
pub fn remote_csv(endpoint: &str, query: &str) -> Vec<Vec<String>> {
    let request = Request::builder()
        .method(Method::POST)
        .uri(endpoint)
        // A form, not a direct application/sparql-query POST: Virtuoso 7.2 keeps the connection
        // open after answering that.
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(ACCEPT, "text/csv")
        .body(
            form_urlencoded::Serializer::new(String::new())
                .append_pair("query", query)
                .finish()
                .into_bytes(),
        )
        .unwrap();
    let response = oxhttp::Client::new()
        .with_global_timeout(Duration::from_secs(120))
        .request(request)
        .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    let status = response.status();
    let body = response.into_body().to_string().unwrap();
    assert!(status.is_success(), "{endpoint}: {status}: {body}\n{query}");
    super::parse_csv(&body)
}

/// Triples per graph on a remote endpoint, for the graphs in `graphs`.
pub fn remote_counts(endpoint: &str, graphs: &[String]) -> Vec<(String, u64)> {
    let values: String = graphs.iter().map(|g| format!("<{g}> ")).collect();
    let rows = remote_csv(
        endpoint,
        &format!(
            "SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g ORDER BY ?g"
        ),
    );
    graph_counts(rows)
}

/// The (graph, count) rows of a CSV answer with those two columns (header first), sorted.
pub fn graph_counts(rows: Vec<Vec<String>>) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = rows
        .into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[1].parse().unwrap()))
        .collect();
    out.sort();
    out
}

/// Debian's nginx as a reverse proxy in front of `upstream_port` that refuses request bodies
/// over `max_body` (413), as a team's proxy in front of its store may.
pub struct Nginx {
    child: Child,
    pub port: u16,
}

impl Nginx {
    pub fn start(dir: &Path, upstream_port: u16, max_body: &str) -> Nginx {
        assert!(
            Path::new("/usr/sbin/nginx").exists(),
            "this test needs nginx. Note: apt-get install nginx-light (.ci/run does)"
        );
        std::fs::create_dir_all(dir).unwrap();
        let port = free_port();
        let d = dir.display();
        // As root, nginx's workers would run as nobody, who cannot write to this temp dir.
        let user = if unsafe { libc::geteuid() } == 0 {
            "user root root;"
        } else {
            ""
        };
        let conf = format!(
            "{user}
worker_processes 1;
error_log {d}/error.log;
pid {d}/nginx.pid;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size {max_body};
    location / {{ proxy_pass http://127.0.0.1:{upstream_port}; }}
  }}
}}
"
        );
        let path = dir.join("nginx.conf");
        std::fs::write(&path, conf).unwrap();
        let mut child = Command::new("/usr/sbin/nginx")
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&path)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        wait_for(port, &mut child, "nginx", Duration::from_secs(30));
        Nginx { child, port }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
