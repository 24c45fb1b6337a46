//! A byte-level TCP relay in front of the tiny_http server.
//!
//! tiny_http offers no way for a handler to close a client connection, but
//! the `DropConnection` and `Truncated` faults need exactly that, and
//! shutdown must unstick clients whose requests are deliberately never
//! answered. The relay accepts client connections on the public port, opens
//! one upstream connection per client to tiny_http, and copies bytes both
//! ways. tiny_http reports the upstream socket's local address as the
//! request's remote address, which is the key to find the client socket.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};

/// Live connections: upstream local address → (client socket, upstream socket).
pub(crate) type Conns = Arc<Mutex<HashMap<SocketAddr, (TcpStream, TcpStream)>>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Closes the client connection behind an upstream address, after writing `bytes`.
pub(crate) fn close_client(conns: &Conns, key: Option<&SocketAddr>, bytes: &[u8]) -> bool {
    let Some(key) = key else { return false };
    let pair = lock(conns)
        .get(key)
        .and_then(|(c, u)| Some((c.try_clone().ok()?, u.try_clone().ok()?)));
    let Some((client, upstream)) = pair else {
        return false;
    };
    if !bytes.is_empty() {
        let _ = (&client).write_all(bytes);
        let _ = (&client).flush();
    }
    let _ = client.shutdown(Shutdown::Both);
    let _ = upstream.shutdown(Shutdown::Both);
    true
}

/// The running relay.
pub(crate) struct Relay {
    addr: SocketAddr,
    conns: Conns,
    threads: Arc<Mutex<Vec<JoinHandle<()>>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Relay {
    /// Starts relaying connections accepted on `listener` to `upstream`.
    pub(crate) fn start(
        listener: TcpListener,
        upstream: SocketAddr,
        conns: Conns,
    ) -> io::Result<Relay> {
        let addr = listener.local_addr()?;
        let threads: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (conns, threads, stop) = (conns.clone(), threads.clone(), stop.clone());
            thread::Builder::new()
                .name("scim-fake-relay".into())
                .spawn(move || accept_loop(listener, upstream, conns, threads, stop))?
        };
        Ok(Relay {
            addr,
            conns,
            threads,
            stop,
            accept: Some(accept),
        })
    }

    /// The public address clients connect to.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting and closes every live connection.
    pub(crate) fn close_all(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the loop sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        for (client, upstream) in lock(&self.conns).values() {
            let _ = client.shutdown(Shutdown::Both);
            let _ = upstream.shutdown(Shutdown::Both);
        }
    }

    /// Waits for the copy threads; call after `close_all`.
    pub(crate) fn join(&mut self) {
        let handles: Vec<_> = lock(&self.threads).drain(..).collect();
        for h in handles {
            let _ = h.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    conns: Conns,
    threads: Arc<Mutex<Vec<JoinHandle<()>>>>,
    stop: Arc<AtomicBool>,
) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(client) = stream else { continue };
        if let Err(_e) = spawn_pair(client, upstream, &conns, &threads) {
            continue;
        }
    }
}

fn spawn_pair(
    client: TcpStream,
    upstream: SocketAddr,
    conns: &Conns,
    threads: &Arc<Mutex<Vec<JoinHandle<()>>>>,
) -> io::Result<()> {
    let up = match TcpStream::connect(upstream) {
        Ok(up) => up,
        Err(e) => {
            let _ = client.shutdown(Shutdown::Both);
            return Err(e);
        }
    };
    let _ = client.set_nodelay(true);
    let _ = up.set_nodelay(true);
    let key = up.local_addr()?;
    lock(conns).insert(key, (client.try_clone()?, up.try_clone()?));
    let mut client_r = client.try_clone()?;
    let mut up_w = up.try_clone()?;
    let mut up_r = up;
    let mut client_w = client;
    let inbound = thread::Builder::new()
        .name("scim-fake-relay-in".into())
        .spawn(move || {
            let _ = io::copy(&mut client_r, &mut up_w);
            let _ = up_w.shutdown(Shutdown::Write);
        })?;
    let conns2 = conns.clone();
    let outbound = thread::Builder::new()
        .name("scim-fake-relay-out".into())
        .spawn(move || {
            let _ = io::copy(&mut up_r, &mut client_w);
            let _ = client_w.shutdown(Shutdown::Both);
            let _ = up_r.shutdown(Shutdown::Both);
            lock(&conns2).remove(&key);
        })?;
    let mut t = lock(threads);
    t.retain(|h| !h.is_finished());
    t.push(inbound);
    t.push(outbound);
    Ok(())
}
