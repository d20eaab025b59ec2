//! Aegis Authenticator vault files (`aegis-*.json`), plain and encrypted; import
//! and export.
//!
//! Spec: Aegis's `docs/vault.md`. The file is `{version: 1, header, db}`. Plain
//! vaults have `header.slots = null` and `db` as an object; encrypted ones have
//! `db` as base64 AES-256-GCM ciphertext under a random master key, with
//! `header.params {nonce, tag}` (hex). Each password slot (`type` 1) holds the
//! master key encrypted (AES-256-GCM, `key_params {nonce, tag}`) under a key
//! derived with scrypt(`n`, `r`, `p`, `salt`). Biometric slots (`type` 2) need the
//! phone's keystore and are ignored.
//!
//! Database versions 1–3 are read: version 2 entries name their group in
//! `group`; version 3 lists group UUIDs in `groups` and the names in
//! `db.groups`. Groups come back in `Import::groups`.
//!
//! Cannot carry into Ninsho: icons, notes, favourites, usage counts. Entries of
//! type mOTP and Yandex are skipped (Ninsho has no such codes). Exports write
//! database version 3; URI parameters Ninsho keeps but does not interpret
//! (`OtpAccount::extra`) have no place in the format and are not exported.

use std::collections::HashMap;

use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::json::{self, Doc, Sniff, array_field, need_str, str_field, u64_field};
use super::{Format, FormatError, Import, Input, crypto, digits, entry_label, group_name};
use crate::otp::{Algorithm, Kind, OtpAccount, Params, Secret, shorten};

const WHAT: &str = "Aegis vault";

pub const FORMAT: Format = Format {
    name: "aegis",
    description: || crate::t!("fmt-aegis"),
    encryptable: true,
    detect,
    import,
};

/// Aegis's own choice for new password slots (docs/vault.md), so a vault we write
/// costs Aegis what its own would.
pub const EXPORT_SCRYPT_LOG_N: u8 = 15;
pub const EXPORT_SCRYPT_R: u32 = 8;
pub const EXPORT_SCRYPT_P: u32 = 1;

/// Limits on a slot's scrypt parameters, which come from the file: without them a
/// hostile vault makes the import allocate gigabytes or run for minutes. Aegis
/// has always written N = 2^15, r = 8, p = 1 (32 MiB, 2^18 block mixes); we take
/// up to 8 times its memory (128·N·r bytes ≤ 256 MiB) and 16 times its work
/// (N·r·p ≤ 2^22, a second or two).
const MAX_SCRYPT_N_TIMES_R: u64 = 1 << 21;
const MAX_SCRYPT_WORK: u64 = 1 << 22;
/// Aegis writes one password slot (two after a password change at most); a file
/// with dozens would only multiply the scrypt cost.
const MAX_PASSWORD_SLOTS: usize = 4;

fn detect(input: &Input) -> bool {
    match input.sniff() {
        Sniff::Parsed(v) => v.get("header").is_some_and(Value::is_object) && v.get("db").is_some(),
        Sniff::Truncated(text) => text.contains("\"header\"") && text.contains("\"slots\""),
        Sniff::No => false,
    }
}

fn damaged(detail: impl Into<String>) -> FormatError {
    FormatError::Damaged {
        what: WHAT,
        detail: detail.into(),
    }
}

fn hex_field(v: &Value, key: &str) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let text = need_str(v, key).map_err(damaged)?;
    hex::decode(text)
        .map(Zeroizing::new)
        .map_err(|_| damaged(crate::t!("err-aegis-not-hex", key = key)))
}

/// Phase 1 of 3 (read → decrypt → convert): the database object, decrypting it
/// when the vault is encrypted.
/// A plain vault's database is borrowed from the file (a copy doubled the
/// memory of a large import); a decrypted one is kept in `decrypted`.
fn database<'a>(
    root: &'a Value,
    password: Option<&str>,
    decrypted: &'a mut Option<Doc>,
) -> Result<&'a Value, FormatError> {
    if !root.is_object() || root.get("header").is_none() {
        return Err(FormatError::NotThisFormat(crate::t!("err-aegis-not")));
    }
    match u64_field(root, "version").map_err(damaged)? {
        Some(1) => {}
        Some(v) => {
            return Err(FormatError::Unsupported(crate::t!(
                "err-aegis-file-too-new",
                version = v,
                known = 1
            )));
        }
        None => return Err(damaged(crate::t!("err-aegis-no-version"))),
    }
    let header = &root["header"];
    match root.get("db") {
        Some(db @ Value::Object(_)) => Ok(db),
        Some(Value::String(ciphertext)) => {
            let password = password.ok_or(FormatError::PasswordNeeded(WHAT))?;
            let master = unlock(header, password)?;
            let params = header
                .get("params")
                .filter(|p| p.is_object())
                .ok_or_else(|| damaged(crate::t!("err-aegis-no-params")))?;
            let nonce = hex_field(params, "nonce")?;
            let tag = hex_field(params, "tag")?;
            use base64::Engine;
            let ciphertext = base64::engine::general_purpose::STANDARD
                .decode(ciphertext.trim())
                .map_err(|_| damaged(crate::t!("err-aegis-db-not-base64")))?;
            let plain = crypto::gcm_open_detached(master.as_ref(), &nonce, &ciphertext, &tag)
                .ok_or_else(|| damaged(crate::t!("err-aegis-db-mismatch")))?;
            Ok(&decrypted.insert(json::parse(&plain, WHAT)?).0)
        }
        _ => Err(damaged(crate::t!("err-aegis-no-db"))),
    }
}

/// A slot's scrypt parameters as (log2 N, r, p), refused when they are invalid
/// or beyond [`MAX_SCRYPT_N_TIMES_R`] / [`MAX_SCRYPT_WORK`].
fn scrypt_params(n: u64, r: u64, p: u64) -> Result<(u8, u32, u32), FormatError> {
    if !n.is_power_of_two() || n < 2 {
        return Err(damaged(crate::t!("err-aegis-scrypt-n", n = n)));
    }
    if r == 0 || p == 0 {
        return Err(damaged(crate::t!("err-aegis-scrypt-rp", r = r, p = p)));
    }
    let n_r = n.saturating_mul(r);
    if n_r > MAX_SCRYPT_N_TIMES_R || n_r.saturating_mul(p) > MAX_SCRYPT_WORK {
        return Err(FormatError::Unsupported(crate::t!(
            "err-aegis-scrypt-costly",
            log_n = n.trailing_zeros(),
            r = r,
            p = p
        )));
    }
    // Both fit: r ≤ 2^20 and p ≤ 2^21 under the limits above.
    Ok((n.trailing_zeros() as u8, r as u32, p as u32))
}

/// The master key, from the first password slot the password opens.
fn unlock(header: &Value, password: &str) -> Result<crypto::Key, FormatError> {
    let slots = array_field(header, "slots").map_err(damaged)?;
    let mut password_slots = 0;
    for slot in slots {
        if u64_field(slot, "type").map_err(damaged)? != Some(1) {
            continue;
        }
        password_slots += 1;
        if password_slots > MAX_PASSWORD_SLOTS {
            break;
        }
        let n = u64_field(slot, "n").map_err(damaged)?.unwrap_or(0);
        let r = u64_field(slot, "r").map_err(damaged)?.unwrap_or(0);
        let p = u64_field(slot, "p").map_err(damaged)?.unwrap_or(0);
        let (log_n, r, p) = scrypt_params(n, r, p)?;
        let salt = hex_field(slot, "salt")?;
        let encrypted_key = hex_field(slot, "key")?;
        let key_params = slot
            .get("key_params")
            .filter(|k| k.is_object())
            .ok_or_else(|| damaged(crate::t!("err-aegis-no-key-params")))?;
        let nonce = hex_field(key_params, "nonce")?;
        let tag = hex_field(key_params, "tag")?;
        let derived = crypto::scrypt(password.as_bytes(), &salt, log_n, r, p)
            .ok_or_else(|| damaged(crate::t!("err-aegis-bad-scrypt")))?;
        if let Some(master) =
            crypto::gcm_open_detached(derived.as_ref(), &nonce, &encrypted_key, &tag)
        {
            let key: [u8; 32] = master
                .as_slice()
                .try_into()
                .map_err(|_| damaged(crate::t!("err-aegis-master-key")))?;
            return Ok(Zeroizing::new(key));
        }
    }
    if password_slots == 0 {
        return Err(FormatError::Unsupported(crate::t!(
            "err-aegis-no-password-slot"
        )));
    }
    Err(FormatError::WrongPassword(WHAT))
}

fn import(input: &Input, password: Option<&str>) -> Result<Import, FormatError> {
    let mut decrypted = None;
    convert(database(input.json(WHAT)?, password, &mut decrypted)?)
}

/// Phase 3: database entries to accounts, collecting per-entry problems.
fn convert(db: &Value) -> Result<Import, FormatError> {
    let version = u64_field(db, "version").map_err(damaged)?.unwrap_or(1);
    if version > 3 {
        return Err(FormatError::Unsupported(crate::t!(
            "err-aegis-db-too-new",
            version = version,
            known = 3
        )));
    }
    let entries = match db.get("entries") {
        Some(Value::Array(a)) => a,
        _ => return Err(damaged(crate::t!("err-aegis-no-entries"))),
    };
    // By key: 100 000 entries and as many groups must not cost a scan of
    // every group per entry.
    let mut group_names: HashMap<&str, Result<&str, String>> = HashMap::new();
    for g in array_field(db, "groups").unwrap_or(&[]) {
        if let (Some(uuid), Some(name)) = (str_field(g, "uuid"), str_field(g, "name")) {
            group_names.entry(uuid).or_insert_with(|| group_name(name));
        }
    }
    let mut out = Import::default();
    for (i, e) in entries.iter().enumerate() {
        let issuer = str_field(e, "issuer").unwrap_or_default();
        let name = str_field(e, "name").unwrap_or_default();
        // Version 2 names the group; version 3 points at db.groups.
        let group = match str_field(e, "group") {
            Some(name) => Some(group_name(name)),
            None => array_field(e, "groups")
                .ok()
                .and_then(|g| g.first()?.as_str())
                .and_then(|first| group_names.get(first).cloned()),
        }
        .transpose();
        match group.and_then(|group| Ok((entry(e)?, group))) {
            Ok((a, group)) => {
                out.add(a)?;
                out.groups.push(group.map(str::to_string));
                out.ids.push(str_field(e, "uuid").map(str::to_string));
            }
            Err(why) => out.skip(entry_label(i, issuer, name), why)?,
        }
    }
    Ok(out)
}

fn entry(e: &Value) -> Result<OtpAccount, String> {
    let kind_text = need_str(e, "type")?;
    let kind = match kind_text.to_ascii_lowercase().as_str() {
        "totp" => Kind::Totp,
        "hotp" => Kind::Hotp,
        "steam" => Kind::Steam,
        "motp" => return Err(crate::t!("err-motp")),
        "yandex" => return Err(crate::t!("err-yandex")),
        _ => {
            return Err(crate::t!(
                "err-unknown-type-quoted",
                kind = shorten(kind_text)
            ));
        }
    };
    let info = e.get("info").ok_or(crate::t!("err-aegis-no-info"))?;
    let secret = Secret::parse_base32(need_str(info, "secret")?).map_err(|e| e.to_string())?;
    let algorithm = match str_field(info, "algo") {
        Some(a) => Algorithm::parse(a).map_err(|e| e.to_string())?,
        None => Algorithm::Sha1,
    };
    let params = Params {
        kind,
        algorithm,
        digits: digits(u64_field(info, "digits")?, 6)?,
        period: u64_field(info, "period")?.unwrap_or(crate::otp::DEFAULT_PERIOD),
        counter: u64_field(info, "counter")?.unwrap_or(0),
    };
    super::account(
        str_field(e, "issuer").unwrap_or_default(),
        str_field(e, "name").unwrap_or_default(),
        secret,
        params,
    )
}

fn uuid_v4() -> Result<String, FormatError> {
    Ok(uuid::Builder::from_random_bytes(crypto::random::<16>()?)
        .into_uuid()
        .to_string())
}

/// The database object Aegis would write for these accounts (version 3).
/// `groups[i]` is the group of `accounts[i]` ("" for none).
/// `ids[i]`, when given, is account i's entry UUID (a vault's own ids, so a
/// device following these backups can tell an account from the next backup's);
/// otherwise each entry gets a new random one.
fn db_json(
    accounts: &[OtpAccount],
    groups: &[String],
    ids: &[String],
) -> Result<Value, FormatError> {
    let mut group_list: Vec<(String, String)> = Vec::new();
    let mut group_ids: HashMap<&str, String> = HashMap::new();
    let mut entries = Vec::with_capacity(accounts.len());
    for (i, a) in accounts.iter().enumerate() {
        let group = groups.get(i).map(String::as_str).unwrap_or_default();
        let group_ids: Vec<String> = if group.is_empty() {
            Vec::new()
        } else {
            let id = match group_ids.get(group) {
                Some(id) => id.clone(),
                None => {
                    let id = uuid_v4()?;
                    group_list.push((id.clone(), group.to_string()));
                    group_ids.insert(group, id.clone());
                    id
                }
            };
            vec![id]
        };
        let p = &a.params;
        let mut info = json!({
            "secret": a.secret.to_base32().as_str(),
            "algo": p.algorithm.as_str(),
            "digits": p.digits,
        });
        match p.kind {
            Kind::Hotp => info["counter"] = json!(p.counter),
            _ => info["period"] = json!(p.period),
        }
        let mut entry = json!({
            "type": p.kind.as_str(),
            "uuid": match ids.get(i) {
                Some(id) => id.clone(),
                None => uuid_v4()?,
            },
            "name": a.name,
            "issuer": a.issuer,
            "note": "",
            "favorite": false,
            "icon": null,
            "groups": group_ids,
        });
        // Moved in, not copied: `json!` would serialise a copy of the secret and
        // leave `info` to be freed unwiped.
        entry["info"] = info;
        entries.push(entry);
    }
    let mut db = json!({
        "version": 3,
        "groups": group_list
            .iter()
            .map(|(uuid, name)| json!({"uuid": uuid, "name": name}))
            .collect::<Vec<_>>(),
    });
    // Moved in: `json!` would copy the entries and free them unwiped.
    db["entries"] = Value::Array(entries);
    Ok(db)
}

/// An Aegis vault holding `accounts` (with `groups[i]` the group of account i, ""
/// for none; `ids[i]` its entry UUID, or empty for new random ones): plain when
/// `password` is `None`, otherwise encrypted with one password slot using
/// Aegis's own scrypt parameters.
pub fn export(
    accounts: &[OtpAccount],
    groups: &[String],
    ids: &[String],
    password: Option<&str>,
) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let mut db = db_json(accounts, groups, ids)?;
    let bytes = match password {
        None => {
            let mut vault = Doc(json!({
                "version": 1,
                "header": {"slots": null, "params": null},
                "db": db,
            }));
            let mut bytes = to_json_bytes(&vault.0, true)?;
            bytes.push(b'\n');
            json::scrub(&mut vault.0);
            bytes
        }
        Some(password) => OpenVault::create(password)?.seal(&db)?,
    };
    json::scrub(&mut db);
    Ok(bytes)
}

/// An encrypted Aegis vault kept open: its password slot and master key, so
/// it is read again and written again without deriving the key each time
/// (Ninsho's own file store, `vault::file_store`, and exports).
pub(crate) struct OpenVault {
    slot: Value,
    master: crypto::Key,
}

impl OpenVault {
    /// A new vault for `password`: a random master key in one password slot
    /// with Aegis's own scrypt parameters (one key derivation).
    pub(crate) fn create(password: &str) -> Result<OpenVault, FormatError> {
        let master = Zeroizing::new(crypto::random::<32>()?);
        let salt = crypto::random::<32>()?;
        let slot_nonce = crypto::random::<12>()?;
        let derived = crypto::scrypt(
            password.as_bytes(),
            &salt,
            EXPORT_SCRYPT_LOG_N,
            EXPORT_SCRYPT_R,
            EXPORT_SCRYPT_P,
        )
        .ok_or_else(|| FormatError::Export(crate::t!("err-export-scrypt")))?;
        let (key_ct, key_tag) = crypto::gcm_seal_detached(&derived, &slot_nonce, master.as_ref());
        let slot = json!({
            "type": 1,
            "uuid": uuid_v4()?,
            "key": hex::encode(key_ct),
            "key_params": {"nonce": hex::encode(slot_nonce), "tag": hex::encode(key_tag)},
            "n": 1u64 << EXPORT_SCRYPT_LOG_N,
            "r": EXPORT_SCRYPT_R,
            "p": EXPORT_SCRYPT_P,
            "salt": hex::encode(salt),
            "repaired": true,
            "is_backup": false,
        });
        Ok(OpenVault { slot, master })
    }

    /// Opens an encrypted vault file with `password`; its database comes
    /// back in a [`Doc`] (scrubbed when dropped).
    pub(crate) fn open(bytes: &[u8], password: &str) -> Result<(OpenVault, Doc), FormatError> {
        let root = json::parse(bytes, WHAT)?;
        let header = &root.0["header"];
        let master = unlock(header, password)?;
        let slot = array_field(header, "slots")
            .map_err(damaged)?
            .iter()
            .find(|s| u64_field(s, "type").ok().flatten() == Some(1))
            .cloned()
            .ok_or_else(|| FormatError::Unsupported(crate::t!("err-aegis-no-password-slot")))?;
        let vault = OpenVault { slot, master };
        let db = vault.read_db(&root.0)?;
        Ok((vault, db))
    }

    /// Reads a vault file written under this vault's master key again, with
    /// no key derivation. A file whose password slot changed (another
    /// password) is refused rather than read.
    pub(crate) fn reread(&self, bytes: &[u8]) -> Result<Doc, FormatError> {
        let root = json::parse(bytes, WHAT)?;
        let same_slot = array_field(&root.0["header"], "slots")
            .map_err(damaged)?
            .contains(&self.slot);
        if !same_slot {
            return Err(FormatError::WrongPassword(WHAT));
        }
        self.read_db(&root.0)
    }

    fn read_db(&self, root: &Value) -> Result<Doc, FormatError> {
        let params = root["header"]
            .get("params")
            .filter(|p| p.is_object())
            .ok_or_else(|| damaged(crate::t!("err-aegis-no-params")))?;
        let nonce = hex_field(params, "nonce")?;
        let tag = hex_field(params, "tag")?;
        let Some(Value::String(ciphertext)) = root.get("db") else {
            return Err(damaged(crate::t!("err-aegis-no-db")));
        };
        use base64::Engine;
        let ciphertext = base64::engine::general_purpose::STANDARD
            .decode(ciphertext.trim())
            .map_err(|_| damaged(crate::t!("err-aegis-db-not-base64")))?;
        let plain = crypto::gcm_open_detached(self.master.as_ref(), &nonce, &ciphertext, &tag)
            .ok_or_else(|| damaged(crate::t!("err-aegis-db-mismatch")))?;
        json::parse(&plain, WHAT)
    }

    /// The vault file of `db`, encrypted under the master key with a fresh nonce.
    pub(crate) fn seal(&self, db: &Value) -> Result<Zeroizing<Vec<u8>>, FormatError> {
        let plain = to_json_bytes(db, false)?;
        let db_nonce = crypto::random::<12>()?;
        let (db_ct, db_tag) = crypto::gcm_seal_detached(&self.master, &db_nonce, &plain);
        use base64::Engine;
        let vault = json!({
            "version": 1,
            "header": {
                "slots": [self.slot.clone()],
                "params": {"nonce": hex::encode(db_nonce), "tag": hex::encode(db_tag)},
            },
            "db": base64::engine::general_purpose::STANDARD.encode(db_ct),
        });
        let mut bytes = to_json_bytes(&vault, true)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// JSON text of `value` in a buffer that wipes what it outgrows (a plain
/// `Vec` leaves each smaller copy of the secrets in freed memory).
fn to_json_bytes(value: &Value, pretty: bool) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let mut out = crate::otp::wipe::WipingBuffer::with_capacity(64 << 10);
    let written = if pretty {
        serde_json::to_writer_pretty(&mut out, value)
    } else {
        serde_json::to_writer(&mut out, value)
    };
    written.map_err(|e| FormatError::Export(e.to_string()))?;
    // Room for the final newline without growing again.
    if out.0.len() == out.0.capacity() {
        std::io::Write::write_all(&mut out, b"\n")
            .map_err(|e| FormatError::Export(e.to_string()))?;
        out.0.pop();
    }
    Ok(out.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<OtpAccount> {
        let s = |t: &str| Secret::parse_base32(t).unwrap();
        vec![
            OtpAccount {
                issuer: "Deno".into(),
                name: "Mason".into(),
                secret: s("4SJHB4GSD43FZBAI7C2HLRJGPQ"),
                params: Params::default(),
                extra: vec![],
            },
            OtpAccount {
                issuer: "WWE".into(),
                name: "Mason".into(),
                secret: s("5VAML3X35THCEBVRLV24CGBKOY"),
                params: Params {
                    kind: Kind::Hotp,
                    algorithm: Algorithm::Sha512,
                    digits: 8,
                    counter: 10300,
                    ..Params::default()
                },
                extra: vec![],
            },
        ]
    }

    #[test]
    fn plain_export_round_trips_with_groups() {
        let groups = vec!["Work".to_string(), String::new()];
        let bytes = export(&sample(), &groups, &[], None).unwrap();
        assert!(FORMAT.detects(&bytes));
        let back = FORMAT.read(&bytes, None).unwrap();
        assert_eq!(back.accounts, sample());
        assert_eq!(back.groups, vec![Some("Work".to_string()), None]);
    }

    #[test]
    fn encrypted_export_needs_the_right_password() {
        let bytes = export(&sample(), &[], &[], Some("hunter2")).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(!text.contains("4SJHB4GSD43FZBAI7C2HLRJGPQ"));
        assert_eq!(
            FORMAT.read(&bytes, None).unwrap_err(),
            FormatError::PasswordNeeded(WHAT)
        );
        assert_eq!(
            FORMAT.read(&bytes, Some("hunter3")).unwrap_err(),
            FormatError::WrongPassword(WHAT)
        );
        assert_eq!(
            FORMAT.read(&bytes, Some("hunter2")).unwrap().accounts,
            sample()
        );
    }

    #[test]
    fn motp_entries_are_skipped_with_a_reason() {
        let vault = br#"{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[
            {"type":"motp","name":"a","issuer":"b","info":{"secret":"ABCD","pin":"1234"}},
            {"type":"totp","name":"c","issuer":"d","info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA1","digits":6,"period":30}}]}}"#;
        let got = FORMAT.read(vault, None).unwrap();
        assert_eq!(got.accounts.len(), 1);
        assert_eq!(
            got.skipped,
            vec![("entry 1 (b (a))".to_string(), crate::t!("err-motp"))]
        );
    }

    fn vault_with_scrypt(n: u64, r: u64, p: u64) -> Vec<u8> {
        format!(r#"{{"version":1,"header":{{"slots":[{{"type":1,"n":{n},"r":{r},"p":{p},"salt":"00","key":"00","key_params":{{"nonce":"00","tag":"00"}}}}],"params":{{"nonce":"00","tag":"00"}}}},"db":"AAAA"}}"#).into_bytes()
    }

    /// Found while writing the fuzz targets: N = 2^20 with r = 64 passed the old
    /// limits and asked for 8 GiB. Each case must be refused before scrypt runs (the test
    /// would take minutes or abort on memory otherwise).
    #[test]
    fn absurd_scrypt_parameters_are_refused_before_running() {
        for (n, r, p) in [
            (1 << 40, 8, 1),
            (1 << 20, 64, 1),
            (1 << 20, 8, 1),
            (1 << 15, 8, 1024),
            (2, u64::MAX, 1),
            (1 << 16, 1 << 40, 1 << 40),
        ] {
            let e = FORMAT
                .read(&vault_with_scrypt(n, r, p), Some("x"))
                .unwrap_err();
            assert!(
                matches!(&e, FormatError::Unsupported(m) if m.contains("refuses")),
                "N={n} r={r} p={p}: {e}"
            );
        }
        let e = FORMAT
            .read(&vault_with_scrypt(1 << 15, 0, 1), Some("x"))
            .unwrap_err();
        assert!(matches!(e, FormatError::Damaged { .. }), "{e}");
    }

    #[test]
    fn scrypt_limits_keep_what_aegis_might_write() {
        assert_eq!(scrypt_params(1 << 15, 8, 1), Ok((15, 8, 1)));
        assert_eq!(scrypt_params(1 << 18, 8, 1), Ok((18, 8, 1)));
        assert_eq!(scrypt_params(1 << 17, 8, 2), Ok((17, 8, 2)));
        assert!(scrypt_params(1 << 19, 8, 1).is_err(), "512 MiB");
        assert!(scrypt_params(1 << 17, 8, 5).is_err(), "too much work");
        // Aegis's own parameters run and reach the slot's (broken) key.
        let e = FORMAT
            .read(&vault_with_scrypt(1 << 15, 8, 1), Some("x"))
            .unwrap_err();
        assert_eq!(e, FormatError::WrongPassword(WHAT));
    }
}
