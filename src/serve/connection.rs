//! One client connection as russh sees it: public keys from the authorized file only, one
//! session channel with a pty, `TERM` and `NO_COLOR`, a shell that is the reader, and nothing
//! else (no exec, subsystem, forwarding or agent).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use russh::keys::PublicKey;
use russh::server::{Auth, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, ChannelOpenFailure, ChannelWriteHalf, Pty};

use super::host::{Feed, Link, SshHost};
use super::keys::fingerprint;
use super::limits::Bucket;
use super::reader::Start;
use super::{Hub, log};
use crate::terminal::{Decoder, Incoming, Signal};

/// The size of a client that asked for no pty.
const NO_PTY: (u16, u16) = (80, 24);

pub struct Connection {
    hub: Arc<Hub>,
    peer: SocketAddr,
    link: Arc<Link>,
    key: Option<PublicKey>,
    /// The session channel, until its shell starts.
    channel: Option<ChannelWriteHalf<Msg>>,
    channel_id: Option<ChannelId>,
    size: (u16, u16),
    term: Option<String>,
    no_color: bool,
    test_panic: bool,
    reader: Option<Reader>,
}

/// The input side of a running reader.
struct Reader {
    feed: Feed,
    decoder: Decoder,
    bucket: Bucket,
}

impl Connection {
    pub fn new(hub: Arc<Hub>, peer: SocketAddr, link: Arc<Link>) -> Connection {
        Connection {
            hub,
            peer,
            link,
            key: None,
            channel: None,
            channel_id: None,
            size: NO_PTY,
            term: None,
            no_color: false,
            test_panic: false,
            reader: None,
        }
    }

    fn ours(&self, channel: ChannelId) -> bool {
        self.channel_id == Some(channel)
    }

    /// Starts the reader on the session channel, once.
    fn start(&mut self, channel: ChannelId, session: &Session) -> bool {
        let (Some(key), Some(writer)) = (self.key.clone(), self.channel.take()) else {
            return false;
        };
        let hooks = cfg!(debug_assertions) && self.hub.config.test_hooks;
        let (host, feed) = SshHost::new(self.size, hooks && self.test_panic);
        let start = Start {
            key,
            host,
            writer,
            channel,
            handle: session.handle(),
            tokio: tokio::runtime::Handle::current(),
            link: Arc::clone(&self.link),
            color: !self.no_color,
            term: self.term.clone(),
        };
        if !super::reader::spawn_reader(&self.hub, start) {
            return false;
        }
        self.link.reading.store(true, Ordering::SeqCst);
        self.reader = Some(Reader {
            feed,
            decoder: Decoder::default(),
            bucket: Bucket::new(
                self.hub.config.limits.input_rate,
                self.hub.config.limits.input_burst,
            ),
        });
        true
    }

    async fn hang_up(&mut self) {
        if let Some(reader) = &self.reader {
            reader.feed.post(Incoming::Hangup).await;
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(reader) = &self.reader {
            reader.feed.post_now(Incoming::Hangup);
        }
    }
}

/// A terminal size from what a client sent, within reason.
fn size(columns: u32, rows: u32) -> (u16, u16) {
    let clamp = |n: u32, default: u16| match n {
        0 => default,
        n => n.min(u32::from(u16::MAX)) as u16,
    };
    (clamp(columns, NO_PTY.0), clamp(rows, NO_PTY.1))
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::Reject {
            proceed_with_methods: Some(russh::MethodSet::from(&[russh::MethodKind::PublicKey][..])),
            partial_success: false,
        })
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        if self.hub.allows(offer.public_key) {
            return Ok(Auth::Accept);
        }
        log(&format!(
            "{}: key {} is not authorized",
            self.peer,
            fingerprint(offer.public_key)
        ));
        Ok(Auth::reject())
    }

    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        // The user name the client sent means nothing here: the key is who the reader is.
        let print = fingerprint(key.public_key);
        if !self.hub.allows(key.public_key) {
            log(&format!("{}: key {print} is not authorized", self.peer));
            return Ok(Auth::reject());
        }
        log(&format!("{}: authenticated as {print}", self.peer));
        *self
            .link
            .fingerprint
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(print);
        self.key = Some(key.public_key.clone());
        Ok(Auth::Accept)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.key.is_none() || self.channel_id.is_some() {
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        self.channel_id = Some(channel.id());
        // Input arrives through `data`; the channel's own queue of it is not read, so it goes.
        let (read, write) = channel.split();
        drop(read);
        self.channel = Some(write);
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        columns: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) || self.reader.is_some() {
            return session.channel_failure(channel);
        }
        self.size = size(columns, rows);
        self.term = Some(crate::text::clean_line(term));
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) || self.reader.is_some() {
            return session.channel_failure(channel);
        }
        match name {
            "NO_COLOR" => self.no_color = !value.is_empty(),
            "TERM" => self.term = Some(crate::text::clean_line(value)),
            "BYLINE_TEST_PANIC" if cfg!(debug_assertions) && self.hub.config.test_hooks => {
                self.test_panic = true;
            }
            _ => return session.channel_failure(channel),
        }
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) || !self.start(channel, session) {
            return session.channel_failure(channel);
        }
        session.channel_success(channel)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        log(&format!(
            "{}: refused exec (only the reader is served)",
            self.peer
        ));
        session.channel_failure(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let name = crate::text::clean_line(name);
        log(&format!("{}: refused subsystem {name}", self.peer));
        session.channel_failure(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        columns: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) {
            return Ok(());
        }
        self.size = size(columns, rows);
        if let Some(reader) = &self.reader {
            reader.feed.set_size(self.size);
            reader.feed.post(Incoming::Signal(Signal::Resize)).await;
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) {
            return Ok(());
        }
        let Some(reader) = &mut self.reader else {
            return Ok(());
        };
        // A flood is slowed to the rate: this connection waits, the others do not.
        let wait = reader.bucket.take(data.len() as f64);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        for event in reader.decoder.feed(data) {
            if !reader.feed.post(Incoming::Event(event)).await {
                break;
            }
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.ours(channel) {
            self.hang_up().await;
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.ours(channel) {
            self.hang_up().await;
        }
        Ok(())
    }
}
