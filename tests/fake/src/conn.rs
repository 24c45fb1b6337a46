//! The sockets: an accept loop and one thread per open connection, at most
//! `max_connections` of them. When the cap is reached an idle keep-alive
//! connection is closed to make room; if none is idle, new connections wait
//! in the listen backlog until a busy one finishes or times out.

use std::collections::HashMap;
use std::io::{BufReader, ErrorKind, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::http::{self, Limits, Outcome, ReadError, Reply, Request, Wire};
use crate::service::{self, State, lock};
use crate::store::ScimError;

/// An open connection, as the accept loop sees it.
struct Slot {
    stream: TcpStream,
    idle: Arc<AtomicBool>,
}

#[derive(Default)]
struct Table {
    next: u64,
    open: HashMap<u64, Slot>,
    threads: Vec<JoinHandle<()>>,
}

#[derive(Default)]
struct Conns {
    table: Mutex<Table>,
    freed: Condvar,
}

/// The running accept loop and its connections.
pub(crate) struct Listener {
    addr: SocketAddr,
    conns: Arc<Conns>,
    acceptor: Option<JoinHandle<()>>,
}

impl Listener {
    /// Starts accepting on `listener`, handing requests to `state`.
    pub(crate) fn start(listener: TcpListener, state: Arc<State>) -> std::io::Result<Listener> {
        let addr = listener.local_addr()?;
        let conns = Arc::new(Conns::default());
        let acceptor = {
            let conns = conns.clone();
            thread::Builder::new()
                .name("scim-fake-accept".into())
                .spawn(move || accept_loop(&listener, &state, &conns))?
        };
        Ok(Listener {
            addr,
            conns,
            acceptor: Some(acceptor),
        })
    }

    /// How many connections are open now.
    pub(crate) fn open_connections(&self) -> usize {
        lock(&self.conns.table).open.len()
    }

    /// Stops accepting, closes every connection and joins every thread.
    /// `state` must already be stopping.
    pub(crate) fn shut_down(&mut self) {
        // Wake the blocking accept() so the loop sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.acceptor.take() {
            let _ = h.join();
        }
        let threads = {
            let mut table = lock(&self.conns.table);
            for slot in table.open.values() {
                let _ = slot.stream.shutdown(Shutdown::Both);
            }
            std::mem::take(&mut table.threads)
        };
        self.conns.freed.notify_all();
        for h in threads {
            let _ = h.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, state: &Arc<State>, conns: &Arc<Conns>) {
    for stream in listener.incoming() {
        if state.is_stopping() {
            break;
        }
        let stream = match stream {
            Ok(s) => s,
            // Out of descriptors or a connection reset before accept: pause
            // rather than spin, then go on.
            Err(e) if e.kind() != ErrorKind::Interrupted => {
                thread::sleep(Duration::from_millis(10));
                continue;
            }
            Err(_) => continue,
        };
        if !admit(state, conns) {
            break;
        }
        if spawn(stream, state, conns).is_err() {
            // No thread could be started: the stream is dropped, which closes it.
            continue;
        }
    }
}

/// Waits for a free slot, closing an idle connection if that makes one.
/// Returns false when the server stops meanwhile.
fn admit(state: &State, conns: &Conns) -> bool {
    let mut table = lock(&conns.table);
    while table.open.len() >= state.cfg.max_connections.max(1) {
        if state.is_stopping() {
            return false;
        }
        if let Some(slot) = table.open.values().find(|s| s.idle.load(Ordering::SeqCst)) {
            let _ = slot.stream.shutdown(Shutdown::Both);
        }
        table = match conns.freed.wait_timeout(table, Duration::from_millis(50)) {
            Ok((t, _)) => t,
            Err(e) => e.into_inner().0,
        };
    }
    !state.is_stopping()
}

fn spawn(stream: TcpStream, state: &Arc<State>, conns: &Arc<Conns>) -> std::io::Result<()> {
    let idle = Arc::new(AtomicBool::new(true));
    let mut table = lock(&conns.table);
    let id = table.next;
    table.next += 1;
    let slot = Slot {
        stream: stream.try_clone()?,
        idle: idle.clone(),
    };
    let (state, conns2) = (state.clone(), conns.clone());
    let handle = thread::Builder::new()
        .name("scim-fake-conn".into())
        .spawn(move || {
            serve(&stream, &state, &idle);
            let _ = stream.shutdown(Shutdown::Both);
            lock(&conns2.table).open.remove(&id);
            conns2.freed.notify_all();
        })?;
    table.open.insert(id, slot);
    table.threads.retain(|h| !h.is_finished());
    table.threads.push(handle);
    Ok(())
}

/// Serves requests on one connection until it closes.
fn serve(stream: &TcpStream, state: &State, idle: &AtomicBool) {
    let _ = stream.set_nodelay(true);
    let limits = Limits {
        max_body: state.cfg.max_body,
        idle: state.cfg.idle_timeout,
        request: state.cfg.request_timeout,
    };
    let mut reader = BufReader::with_capacity(16 * 1024, stream);
    let mark = |v: bool| idle.store(v, Ordering::SeqCst);
    while serve_one(&mut reader, stream, state, &limits, &mark, answer).open {}
}

/// What became of one request on a connection.
pub(crate) struct Step {
    /// The status of the answer written, if one was.
    pub status: Option<u16>,
    /// Whether the connection can carry another request.
    pub open: bool,
}

/// Reads one request from `reader` and writes to `out` what `answer` makes
/// of it. A socket's thread and the fuzz target both serve through this, so
/// that they run the same code.
pub(crate) fn serve_one<W: Wire>(
    reader: &mut BufReader<W>,
    mut out: impl Write,
    state: &State,
    limits: &Limits,
    idle: &dyn Fn(bool),
    answer: fn(&State, Request) -> Outcome,
) -> Step {
    let closed = |status| Step {
        status,
        open: false,
    };
    let request = match http::read_request(reader, limits, idle) {
        Ok(r) => r,
        Err(ReadError::Gone) => return closed(None),
        Err(ReadError::Reject(status, detail)) => {
            let reply = ScimError::new(status, None, detail).reply();
            let _ = http::write_reply(&mut out, &reply, false, true);
            return closed(Some(status));
        }
    };
    if state.is_stopping() {
        return closed(None);
    }
    let head_only = request.method.eq_ignore_ascii_case("HEAD");
    let close = request.close;
    let (status, written) = match answer(state, request) {
        Outcome::Reply(reply) => {
            let w = http::write_reply(&mut out, &reply, head_only, close);
            (Some(reply.status), w.is_ok())
        }
        Outcome::Padded {
            reply,
            prefix,
            fill,
            suffix,
        } => {
            let w = http::write_padded(&mut out, &reply, (&prefix, fill, &suffix), close);
            (Some(reply.status), w.is_ok())
        }
        Outcome::RawThenClose(bytes) => {
            let _ = out.write_all(&bytes);
            (None, false)
        }
        Outcome::Close => (None, false),
        Outcome::Stall => {
            state.wait_for_stop();
            (None, false)
        }
    };
    Step {
        status,
        open: written && !close,
    }
}

/// The service's outcome, or a 500 if it panicked: a bug in the fake must
/// not take the user's whole test run down.
fn answer(state: &State, request: Request) -> Outcome {
    catch_unwind(AssertUnwindSafe(|| service::handle(state, request))).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let reply: Reply =
            ScimError::new(500, None, format!("the fake failed on this request: {why}")).reply();
        Outcome::Reply(reply)
    })
}
