//! A canned HTTP/1.1 server on loopback: keep-alive, `TCP_NODELAY`, each
//! answer written in one go. It is the common floor of a benchmark's
//! contenders, so that what differs between them is the client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;

/// Chooses the answer to a request: given the request line (`GET /path
/// HTTP/1.1`) and how many requests came before it on the same connection,
/// returns the status and the JSON body.
pub type Answers = dyn Fn(&str, u64) -> (u16, Arc<[u8]>) + Send + Sync;

/// A running canned server. It lives as long as the process: benchmark
/// binaries start one and exit.
#[derive(Debug)]
pub struct CannedServer {
    addr: SocketAddr,
}

impl CannedServer {
    /// Starts on an ephemeral loopback port; every connection gets a thread.
    ///
    /// # Errors
    /// When no loopback port can be bound.
    pub fn start(answers: Arc<Answers>) -> std::io::Result<CannedServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let answers = Arc::clone(&answers);
                std::thread::spawn(move || serve(stream, &*answers));
            }
        });
        Ok(CannedServer { addr })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Answers requests on one connection until the client closes it.
fn serve(stream: TcpStream, answers: &Answers) {
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut out = Vec::new();
    for n in 0.. {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let request_line = line.trim_end().to_owned();
        let mut content_length = 0usize;
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; content_length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (status, body) = answers(&request_line, n);
        out.clear();
        let _ = write!(
            out,
            "HTTP/1.1 {status} Canned\r\nContent-Type: application/scim+json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        out.extend_from_slice(&body);
        if writer.write_all(&out).is_err() {
            return;
        }
    }
}
