//! SASL for ManageSieve (RFC 5804 §2.1): PLAIN (RFC 4616) and SCRAM
//! (RFC 5802; SHA-256 per RFC 7677), with ring's digests, HMAC and PBKDF2.
//! The password is used as given (no SASLprep, RFC 4013): ASCII passwords,
//! the usual case, are unchanged by it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ring::{digest, hmac, pbkdf2, rand::SecureRandom};
use std::num::NonZeroU32;

use crate::credentials::Secret;

/// The most PBKDF2 iterations a server may ask for (so a lying server
/// cannot make sieve-lint spin); RFC 7677 suggests 4096.
const MAX_ITERATIONS: u32 = 1_000_000;

/// The PLAIN initial response, base64: `\0user\0password` (RFC 4616 §2).
pub fn plain(user: &str, password: &Secret) -> String {
    let mut raw = Vec::new();
    raw.push(0);
    raw.extend_from_slice(user.as_bytes());
    raw.push(0);
    raw.extend_from_slice(password.expose().as_bytes());
    B64.encode(raw)
}

/// One SCRAM exchange.
pub struct Scram {
    sha256: bool,
    user: String,
    password: Secret,
    nonce: String,
    client_first_bare: String,
    server_signature: Vec<u8>,
}

/// `=` and `,` in a user name (RFC 5802 §5.1).
fn saslname(s: &str) -> String {
    s.replace('=', "=3D").replace(',', "=2C")
}

impl Scram {
    pub fn new(mechanism: &str, user: &str, password: &Secret) -> Scram {
        let mut bytes = [0u8; 18];
        let _ = ring::rand::SystemRandom::new().fill(&mut bytes);
        Scram {
            sha256: mechanism.eq_ignore_ascii_case("SCRAM-SHA-256"),
            user: user.to_string(),
            password: password.clone(),
            nonce: B64.encode(bytes),
            client_first_bare: String::new(),
            server_signature: Vec::new(),
        }
    }

    /// The client-first message, base64.
    pub fn client_first(&mut self) -> String {
        self.client_first_bare = format!("n={},r={}", saslname(&self.user), self.nonce);
        B64.encode(format!("n,,{}", self.client_first_bare))
    }

    fn hmac(&self, key: &[u8], data: &[u8]) -> Vec<u8> {
        let alg = if self.sha256 {
            hmac::HMAC_SHA256
        } else {
            hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY
        };
        hmac::sign(&hmac::Key::new(alg, key), data)
            .as_ref()
            .to_vec()
    }

    /// The client-final message for the server-first `challenge` (both
    /// base64), or why the challenge is refused.
    pub fn client_final(&mut self, challenge: &str) -> Result<String, String> {
        let raw = B64
            .decode(challenge.trim())
            .map_err(|_| "the server's SCRAM challenge is not base64".to_string())?;
        let server_first =
            String::from_utf8(raw).map_err(|_| "the server's SCRAM challenge is not UTF-8")?;
        let mut nonce = None;
        let mut salt = None;
        let mut iterations = None;
        for part in server_first.split(',') {
            if let Some(v) = part.strip_prefix("r=") {
                nonce = Some(v.to_string());
            } else if let Some(v) = part.strip_prefix("s=") {
                salt = B64.decode(v).ok();
            } else if let Some(v) = part.strip_prefix("i=") {
                iterations = v.parse::<u32>().ok();
            } else if part.starts_with("m=") {
                return Err("the server asks for a SCRAM extension sieve-lint lacks".into());
            }
        }
        let bad = || "malformed SCRAM challenge from the server".to_string();
        let nonce = nonce.ok_or_else(bad)?;
        let salt = salt.ok_or_else(bad)?;
        let iterations = iterations
            .filter(|i| *i <= MAX_ITERATIONS)
            .and_then(NonZeroU32::new)
            .ok_or_else(|| {
                "the server's SCRAM iteration count is 0 or above 1,000,000".to_string()
            })?;
        if !nonce.starts_with(&self.nonce) || nonce.len() == self.nonce.len() {
            return Err("the server's SCRAM nonce does not extend sieve-lint's".into());
        }
        let (alg, len) = if self.sha256 {
            (pbkdf2::PBKDF2_HMAC_SHA256, 32)
        } else {
            (pbkdf2::PBKDF2_HMAC_SHA1, 20)
        };
        let mut salted = vec![0u8; len];
        pbkdf2::derive(
            alg,
            iterations,
            &salt,
            self.password.expose().as_bytes(),
            &mut salted,
        );
        let client_key = self.hmac(&salted, b"Client Key");
        let stored_key = digest::digest(
            if self.sha256 {
                &digest::SHA256
            } else {
                &digest::SHA1_FOR_LEGACY_USE_ONLY
            },
            &client_key,
        );
        let without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!(
            "{},{},{}",
            self.client_first_bare, server_first, without_proof
        );
        let signature = self.hmac(stored_key.as_ref(), auth_message.as_bytes());
        let proof: Vec<u8> = client_key
            .iter()
            .zip(&signature)
            .map(|(a, b)| a ^ b)
            .collect();
        let server_key = self.hmac(&salted, b"Server Key");
        self.server_signature = self.hmac(&server_key, auth_message.as_bytes());
        Ok(B64.encode(format!("{without_proof},p={}", B64.encode(proof))))
    }

    /// Checks the server-final message `v=…` (base64): the server knew the
    /// password too (RFC 5802 §3).
    pub fn verify_server(&self, message: &str) -> Result<(), String> {
        let raw = B64
            .decode(message.trim())
            .map_err(|_| "the server's SCRAM signature is not base64".to_string())?;
        let text = String::from_utf8_lossy(&raw);
        if let Some(e) = text.strip_prefix("e=") {
            return Err(format!("SCRAM: {e}"));
        }
        let v = text
            .strip_prefix("v=")
            .and_then(|v| B64.decode(v.trim()).ok())
            .ok_or_else(|| "malformed SCRAM server signature".to_string())?;
        if v == self.server_signature {
            Ok(())
        } else {
            Err(
                "the server's SCRAM signature is wrong (not the server that knows the password)"
                    .into(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_is_nul_separated() {
        assert_eq!(
            B64.decode(plain("u", &Secret::new("p"))).unwrap(),
            b"\0u\0p"
        );
    }

    /// RFC 7677 §3's example exchange (user "user", password "pencil").
    #[test]
    fn scram_sha256_rfc7677_example() {
        let mut s = Scram::new("SCRAM-SHA-256", "user", &Secret::new("pencil"));
        s.nonce = "rOprNGfwEbeRWgbNEkqO".into();
        let first = s.client_first();
        assert_eq!(
            String::from_utf8(B64.decode(first).unwrap()).unwrap(),
            "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
        );
        let server_first = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        let fin = s.client_final(&B64.encode(server_first)).unwrap();
        assert_eq!(
            String::from_utf8(B64.decode(fin).unwrap()).unwrap(),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        assert!(
            s.verify_server(&B64.encode("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
                .is_ok()
        );
        assert!(s.verify_server(&B64.encode("v=AAAA")).is_err());
    }
}
