//! The few cryptographic building blocks the foreign formats use, as thin
//! wrappers over RustCrypto crates so the format modules read like their specs.
//!
//! Derived keys and decrypted plaintexts are returned in `Zeroizing` buffers.
//! Decryption failures carry no detail: with AEAD a wrong key and a damaged file
//! look the same, and the caller knows which of the two is plausible.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use cbc::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use sha2::Digest;
use zeroize::Zeroizing;

pub(crate) type Key = Zeroizing<[u8; 32]>;

/// AES-256-GCM with the 16-byte tag appended to the ciphertext.
pub(crate) fn gcm_open(
    key: &[u8],
    nonce: &[u8],
    ciphertext_and_tag: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    let nonce = <&Nonce<_>>::try_from(nonce).ok()?;
    cipher
        .decrypt(nonce, ciphertext_and_tag)
        .ok()
        .map(Zeroizing::new)
}

/// AES-256-GCM with the tag stored apart from the ciphertext (Aegis).
pub(crate) fn gcm_open_detached(
    key: &[u8],
    nonce: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if tag.len() != 16 {
        return None;
    }
    let mut joined = Zeroizing::new(Vec::with_capacity(ciphertext.len() + tag.len()));
    joined.extend_from_slice(ciphertext);
    joined.extend_from_slice(tag);
    gcm_open(key, nonce, &joined)
}

/// AES-256-GCM encryption; returns (ciphertext, tag).
pub(crate) fn gcm_seal_detached(
    key: &[u8; 32],
    nonce: &[u8; 12],
    plaintext: &[u8],
) -> (Vec<u8>, Vec<u8>) {
    let cipher = Aes256Gcm::new(key.into());
    let mut sealed = cipher
        .encrypt(nonce.into(), plaintext)
        .expect("AES-GCM encrypts any message shorter than 64 GiB");
    let tag = sealed.split_off(sealed.len() - 16);
    (sealed, tag)
}

/// AES-256-CBC with PKCS#7 padding.
pub(crate) fn cbc_open(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let dec = cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv).ok()?;
    dec.decrypt_padded_vec::<Pkcs7>(ciphertext)
        .ok()
        .map(Zeroizing::new)
}

pub(crate) fn pbkdf2_sha1(password: &[u8], salt: &[u8], rounds: u32) -> Key {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds, key.as_mut());
    key
}

pub(crate) fn pbkdf2_sha256(password: &[u8], salt: &[u8], rounds: u32) -> Key {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, key.as_mut());
    key
}

pub(crate) fn sha256(data: &[u8]) -> Key {
    Zeroizing::new(sha2::Sha256::digest(data).into())
}

/// scrypt with N = 2^log_n. `None` when the parameters are invalid.
pub(crate) fn scrypt(password: &[u8], salt: &[u8], log_n: u8, r: u32, p: u32) -> Option<Key> {
    let params = scrypt::Params::new(log_n, r, p).ok()?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password, salt, &params, key.as_mut()).ok()?;
    Some(key)
}

/// Argon2id (version 0x13) with memory in KiB. `None` when the parameters are invalid.
pub(crate) fn argon2id(
    password: &[u8],
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Option<Key> {
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32)).ok()?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password, salt, key.as_mut())
        .ok()?;
    Some(key)
}

/// Fresh random bytes from the operating system.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], super::FormatError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| {
        super::FormatError::Export(crate::t!("err-no-randomness", detail = e.to_string()))
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcm_round_trip_and_tamper() {
        let key = [7u8; 32];
        let nonce = [1u8; 12];
        let (ct, tag) = gcm_seal_detached(&key, &nonce, b"hello");
        assert_eq!(
            gcm_open_detached(&key, &nonce, &ct, &tag)
                .as_deref()
                .map(Vec::as_slice),
            Some(&b"hello"[..])
        );
        let mut bad = ct.clone();
        bad[0] ^= 1;
        assert!(gcm_open_detached(&key, &nonce, &bad, &tag).is_none());
        assert!(gcm_open_detached(&[8u8; 32], &nonce, &ct, &tag).is_none());
        assert!(
            gcm_open(&key, &[0u8; 5], &ct).is_none(),
            "bad nonce length is an error, not a panic"
        );
    }
}
