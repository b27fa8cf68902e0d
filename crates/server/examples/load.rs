//! Load generator for `bench/server-load.sh`: N concurrent clients hit the community
//! dashboard endpoints (overview, a members page, analytics, the leaderboard, the trader
//! overview) for a fixed time on loopback and
//! print p50/p95/p99 latency per endpoint.
//!
//! ```text
//! cargo run --release -p tradebook-server --example load -- BASE_URL TOKEN COMMUNITY_ID [CLIENTS] [SECONDS]
//! ```

use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: load BASE_URL TOKEN COMMUNITY_ID [CLIENTS] [SECONDS]");
        std::process::exit(2);
    }
    let (base, token, community) = (args[1].clone(), args[2].clone(), args[3].clone());
    let clients: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(200);
    let seconds: u64 = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(20);
    let endpoints = [
        ("community overview", "dashboard/overview".to_string()),
        ("members page", "members?per_page=50&page={page}".to_string()),
        ("analytics 30d", "dashboard/analytics?days=30".to_string()),
        ("leaderboard", "leaderboard".to_string()),
        ("trader overview", "me/overview".to_string()),
    ];
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .expect("client");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (http, base, token, community, endpoints) = (
            http.clone(),
            base.clone(),
            token.clone(),
            community.clone(),
            endpoints.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); endpoints.len()];
            let mut errors = 0u64;
            let mut n = c;
            while Instant::now() < deadline {
                let e = n % endpoints.len();
                let path = endpoints[e].1.replace("{page}", &(1 + n % 200).to_string());
                let started = Instant::now();
                let ok = http
                    .get(format!("{base}/api/communities/{community}/{path}"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .map(|r| r.status().is_success());
                match ok {
                    Ok(true) => samples[e].push(started.elapsed()),
                    _ => errors += 1,
                }
                n += 1;
            }
            (samples, errors)
        }));
    }
    let mut all: Vec<Vec<Duration>> = vec![Vec::new(); endpoints.len()];
    let mut errors = 0;
    for t in tasks {
        let (samples, e) = t.await.expect("client task");
        errors += e;
        for (i, s) in samples.into_iter().enumerate() {
            all[i].extend(s);
        }
    }
    println!("{clients} clients for {seconds} s, {errors} errors");
    println!(
        "{:<20} {:>8} {:>10} {:>10} {:>10}",
        "endpoint", "requests", "p50 ms", "p95 ms", "p99 ms"
    );
    for (i, (name, _)) in endpoints.iter().enumerate() {
        let s = &mut all[i];
        s.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:<20} {:>8} {:>10.1} {:>10.1} {:>10.1}",
            name,
            s.len(),
            ms(percentile(s, 0.50)),
            ms(percentile(s, 0.95)),
            ms(percentile(s, 0.99))
        );
    }
}
