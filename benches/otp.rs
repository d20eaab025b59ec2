//! Code generation and URI parsing, with criterion: `cargo bench --bench otp`.
//! benches/report.sh copies the medians into BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ninsho::otp::{Algorithm, Kind, Params, Secret, code_at, format_uri, parse_uri};

fn params(kind: Kind, algorithm: Algorithm, digits: u8) -> Params {
    Params {
        kind,
        algorithm,
        digits,
        period: 30,
        counter: 0,
    }
}

fn codes(c: &mut Criterion) {
    let secret = Secret::parse_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").expect("valid secret");
    let cases = [
        ("totp_sha1_6", params(Kind::Totp, Algorithm::Sha1, 6)),
        ("totp_sha256_8", params(Kind::Totp, Algorithm::Sha256, 8)),
        ("totp_sha512_8", params(Kind::Totp, Algorithm::Sha512, 8)),
        ("hotp_sha1_6", params(Kind::Hotp, Algorithm::Sha1, 6)),
        ("steam", Params::steam(30)),
    ];
    for (name, p) in cases {
        c.bench_function(&format!("code/{name}"), |b| {
            b.iter(|| code_at(black_box(&secret), black_box(&p), black_box(1_700_000_000)))
        });
    }
}

fn uris(c: &mut Criterion) {
    let short = "otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
    let long = "otpauth://totp/%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC:%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=%E3%83%84%E3%82%A4%E3%83%83%E3%82%BF%E3%83%BC&algorithm=SHA512&digits=8&period=60&image=https%3A%2F%2Fexample.com%2Flogo.png";
    c.bench_function("uri/parse_short", |b| {
        b.iter(|| parse_uri(black_box(short)))
    });
    c.bench_function("uri/parse_long_cjk", |b| {
        b.iter(|| parse_uri(black_box(long)))
    });
    let account = parse_uri(long).expect("valid URI").account;
    c.bench_function("uri/format_long_cjk", |b| {
        b.iter(|| format_uri(black_box(&account)))
    });
}

criterion_group!(benches, codes, uris);
criterion_main!(benches);
