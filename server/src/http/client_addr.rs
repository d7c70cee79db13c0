//! The address a request comes from, in one place. `X-Forwarded-For` is believed only when
//! the TCP peer is one of the configured trusted proxies (`http.trusted_proxies`): anyone can
//! write the header, so from any other peer it would let a client pick its own address and
//! escape every per-client limit. Through a chain of proxies the client is the right-most
//! address that is not itself a trusted proxy; everything left of it was written by the
//! client and is ignored.

use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv4Addr};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use ipnet::IpNet;
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;

use super::problem::Problem;
use crate::app::AppContext;
use crate::domain::rate::ClientAddress;

/// Extracts the caller's address (see the module documentation).
pub struct ClientAddr(pub ClientAddress);

impl FromRequest for ClientAddr {
    type Error = Problem;
    type Future = Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Resolved once per request, when its log span starts; resolved here only for a
        // request that did not pass through the logger (a handler called directly).
        let client = req.extensions().get::<ClientAddress>().copied().unwrap_or_else(|| ClientAddress(of_request(req)));
        ready(Ok(ClientAddr(client)))
    }
}

/// The request log's root span, with the client as resolved here (`client`). The library's
/// own `http.client_ip` believes `X-Forwarded-For` from anyone; `client` does not.
pub struct ClientSpan;

impl RootSpanBuilder for ClientSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let client = of_request(request.request());
        request.extensions_mut().insert(ClientAddress(client));
        tracing_actix_web::root_span!(request, client = %client)
    }

    /// Records the status only. The library's default also copies the error into the span
    /// twice (`exception.message`, `exception.details`), and its error event then prints both
    /// beside its own copy: a failure was logged three times. The event alone says it once.
    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("http.status_code", i32::from(status.as_u16()));
        span.record("otel.status_code", if status.is_server_error() { "ERROR" } else { "OK" });
    }
}

fn of_request(req: &HttpRequest) -> IpAddr {
    // Without a peer (a test harness calling a handler directly) there is nothing to count
    // by but the unspecified address.
    let peer = req.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let trusted = req
        .app_data::<web::Data<AppContext>>()
        .map(|ctx| ctx.settings.http.trusted_proxies.as_slice())
        .unwrap_or(&[]);
    let forwarded: Vec<&str> = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect();
    resolve(peer, &forwarded, trusted)
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

/// The client of a request that reached us from `peer` with these `X-Forwarded-For` header
/// values (in the order received; each may list several hops, left to right).
pub fn resolve(peer: IpAddr, forwarded: &[&str], trusted: &[IpNet]) -> IpAddr {
    let peer = canonical(peer);
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let hops = forwarded.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|h| !h.is_empty());
    let mut client = peer;
    for hop in hops.collect::<Vec<_>>().into_iter().rev() {
        match parse_hop(hop) {
            Some(ip) => {
                client = canonical(ip);
                if !is_trusted(client, trusted) {
                    return client;
                }
            }
            // A hop we cannot read: what is left of it cannot be trusted either, so the last
            // trusted hop is as far as we can see.
            None => return client,
        }
    }
    client
}

/// `203.0.113.7`, `2001:db8::1`, and the forms some proxies write with a port:
/// `203.0.113.7:4711`, `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Ok(addr) = hop.parse::<std::net::SocketAddr>() {
        return Some(addr.ip());
    }
    hop.strip_prefix('[').and_then(|h| h.strip_suffix(']')).and_then(|h| h.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(resolve(ip("198.51.100.9"), &["203.0.113.7"], &trusted), ip("198.51.100.9"));
        assert_eq!(resolve(ip("198.51.100.9"), &["203.0.113.7"], &[]), ip("198.51.100.9"));
    }

    #[test]
    fn through_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8", "192.0.2.1/32"]);
        // The client wrote a fake first hop; our proxies appended the real one.
        assert_eq!(resolve(ip("10.0.0.2"), &["1.2.3.4, 203.0.113.7, 192.0.2.1"], &trusted), ip("203.0.113.7"));
        // Several header lines count as one list, in order.
        assert_eq!(resolve(ip("10.0.0.2"), &["1.2.3.4", "203.0.113.7"], &trusted), ip("203.0.113.7"));
        assert_eq!(resolve(ip("10.0.0.2"), &["[2001:db8::5]:443"], &trusted), ip("2001:db8::5"));
        assert_eq!(resolve(ip("10.0.0.2"), &["203.0.113.7:4711"], &trusted), ip("203.0.113.7"));
    }

    #[test]
    fn without_a_usable_header_the_nearest_trusted_hop_is_used() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(resolve(ip("10.0.0.2"), &[], &trusted), ip("10.0.0.2"));
        assert_eq!(resolve(ip("10.0.0.2"), &["10.0.0.3"], &trusted), ip("10.0.0.3"));
        assert_eq!(resolve(ip("10.0.0.2"), &["203.0.113.7, garbage, 10.0.0.3"], &trusted), ip("10.0.0.3"));
        assert_eq!(resolve(ip("::ffff:10.0.0.2"), &["203.0.113.7"], &trusted), ip("203.0.113.7"));
    }
}
