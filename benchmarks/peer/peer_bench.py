#!/usr/bin/env python3
"""Side-by-side scrape benchmark of scrapeflux, the Prometheus agent and vmagent, on loopback only.

nginx serves one payload to N file_sd targets and is also the remote-write receiver (204). Each scraper
runs in turn with the same prometheus.yml. Scrapes are counted from nginx's access log by the scraper's
user agent (no scraper's own numbers are trusted); CPU and RSS are read from /proc over the scraper's
process tree.

Modes:
  fixed      one run per scraper at --targets; CPU seconds per million samples, peak RSS, missed scrapes.
  sustained  per scraper, ramps the target count (doubling from --start-targets, then bisecting) at a
             fixed interval and payload, and reports the highest sample rate with no missed scrapes:
             a step passes when the scrapes counted in its window are >= --threshold (0.99) of
             targets x window / interval and the scraper is still running.

Examples (from the repository root, after `mvn -B -o -q package -DskipTests`):
  python3 benchmarks/peer/peer_bench.py --payload src/test/resources/exposition/node_exporter_1.5.prom \\
      --targets 200 --interval 1s --seconds 30 --markdown - --json /tmp/peer.json
  python3 benchmarks/peer/peer_bench.py --mode sustained --payload src/test/resources/exposition/ksm_like_10k.prom \\
      --interval 1s --start-targets 4 --max-targets 200 --markdown results.md
"""
import argparse
import datetime
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
JDKS = {'17': '/usr/lib/jvm/java-17-openjdk-amd64', '25': '/usr/lib/jvm/temurin-25-jdk-amd64'}
DEFAULT_JVM_OPTS = '-Xmx200m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError'
OURS_TEMPLATE = ('{java} {jvm_opts} -jar {jar} --config.file={config} --web.listen-address=127.0.0.1:{port} '
                 '--storage.path={dir}/sfdata --log.level=warn')
SCRAPERS = ('prometheus', 'vmagent', 'ours')


# ---------------------------------------------------------------- processes and /proc

def spawn(cmd, log, cwd):
    return subprocess.Popen(cmd, shell=isinstance(cmd, str), stdout=log, stderr=subprocess.STDOUT, cwd=cwd,
                            start_new_session=True)


def stop(p, grace=10):
    """Stops the scraper's whole process group and waits until every member is gone: with shell=True the
    shell can exit on SIGTERM while the scraper is still shutting down and holding its listen port."""
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + grace
    while True:
        try:
            p.wait(0.1)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(p.pid, 0)
        except ProcessLookupError:
            return
        if time.time() > deadline:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            deadline = time.time() + 3600


def tree_pids(root):
    pids, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        try:
            tasks = os.listdir(f'/proc/{p}/task')
        except OSError:
            continue
        for t in tasks:
            try:
                for c in open(f'/proc/{p}/task/{t}/children').read().split():
                    c = int(c)
                    if c not in pids:
                        pids.add(c)
                        frontier.append(c)
            except OSError:
                pass
    return pids


def cpu_and_rss(root):
    """CPU seconds (user + system) and RSS bytes summed over the process tree of root."""
    tck = os.sysconf('SC_CLK_TCK')
    cpu, rss = 0.0, 0
    for p in tree_pids(root):
        try:
            f = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()
            cpu += (int(f[11]) + int(f[12])) / tck
            for line in open(f'/proc/{p}/status'):
                if line.startswith('VmRSS:'):
                    rss += int(line.split()[1]) * 1024
        except OSError:
            pass
    return cpu, rss


def first_line(cmd):
    try:
        out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30)
        lines = (out.stdout + out.stderr).strip().splitlines()
        return lines[0].strip() if lines else '?'
    except (OSError, subprocess.TimeoutExpired):
        return '?'


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers bind: TIME_WAIT is no conflict
        try:
            s.bind(('127.0.0.1', port))
            return True
        except OSError:
            return False


# ---------------------------------------------------------------- nginx: targets and remote-write sink

NGINX = """
worker_processes {workers}; worker_rlimit_nofile 65536; daemon off; pid {d}/nginx.pid; error_log {d}/nginx.err;
events {{ worker_connections 65536; }}
http {{
  log_format bench '$msec $http_user_agent|$request_uri|$status|$body_bytes_sent|$request_length';
  access_log {d}/access.log bench;
  keepalive_requests 1000000; keepalive_timeout 120s;
  client_max_body_size 64m; client_body_buffer_size 16m;
  server {{ {listens} root {d}/www;
    location = /api/v1/write {{ return 204; }}
    location / {{ default_type text/plain; }} }}
}}"""


class Nginx:
    def __init__(self, d, payload, ports, workers, gzip):
        self.d, self.ports = d, ports
        os.makedirs(f'{d}/www', exist_ok=True)
        shutil.copy(payload, f'{d}/www/metrics')
        listens = ' '.join(f'listen 127.0.0.1:{p};' for p in ports)
        conf = NGINX.format(d=d, workers=workers, listens=listens)
        if gzip:
            conf = conf.replace('http {', 'http { gzip on; gzip_types text/plain; gzip_min_length 100;')
        if os.geteuid() == 0:
            conf = 'user root; ' + conf
        open(f'{d}/nginx.conf', 'w').write(conf)
        self.proc = spawn(['nginx', '-c', f'{d}/nginx.conf', '-p', d], subprocess.DEVNULL, d)
        time.sleep(0.5)
        if self.proc.poll() is not None:
            sys.exit('nginx did not start: ' + open(f'{d}/nginx.err').read()[-500:])

    def reset_log(self):
        open(f'{self.d}/access.log', 'w').close()
        os.kill(self.proc.pid, signal.SIGUSR1)  # reopen; the truncated file is kept anyway (O_APPEND)

    def count(self, t0, t1, agents):
        """Scrapes answered 200 to user agents starting with one of `agents` within [t0, t1], other
        responses to them, remote-write requests and their bytes, and the user agents counted."""
        ok, bad, rw_requests, rw_bytes, seen = 0, 0, 0, 0, set()
        for line in open(f'{self.d}/access.log'):
            try:
                ts, rest = line.split(' ', 1)
                ua, uri, status, _, req_len = rest.rstrip('\n').split('|')
                ts = float(ts)
            except ValueError:
                continue
            if not t0 <= ts <= t1:
                continue
            if uri.startswith('/metrics') and ua.startswith(agents):
                seen.add(ua.split(' ')[0])
                if status == '200':
                    ok += 1
                else:
                    bad += 1
            elif uri.startswith('/api/v1/write'):
                rw_requests += 1
                rw_bytes += int(req_len)
        return ok, bad, rw_requests, rw_bytes, ','.join(sorted(seen)) or '-'

    def first_scrape(self, agents, proc, timeout):
        """Waits until a scrape by `agents` appears in the (freshly reset) log; False if proc died or timeout."""
        deadline = time.time() + timeout
        while time.time() < deadline and proc.poll() is None:
            for line in open(f'{self.d}/access.log'):
                parts = line.split(' ', 1)[-1].split('|')
                if len(parts) > 2 and parts[1].startswith('/metrics') and parts[0].startswith(agents):
                    return True
            time.sleep(0.2)
        return False

    def close(self):
        stop(self.proc)


# ---------------------------------------------------------------- one run of one scraper

def parse_seconds(s):
    units = {'ms': 0.001, 's': 1, 'm': 60}
    for u in ('ms', 's', 'm'):
        if s.endswith(u):
            return float(s[:-len(u)]) * units[u]
    return float(s)


def write_targets(d, targets, ports):
    groups = [{'targets': [f'127.0.0.1:{ports[i % len(ports)]}'], 'labels': {'replica': str(i)}}
              for i in range(targets)]
    # A directory of its own: the scrapers watch the file's directory, and nginx's access log (written on
    # every scrape) next to it would wake their watchers hundreds of times a second.
    os.makedirs(f'{d}/sd', exist_ok=True)
    tmp = f'{d}/sd/targets.json.tmp'
    json.dump(groups, open(tmp, 'w'))
    os.replace(tmp, f'{d}/sd/targets.json')


def write_config(d, interval, rw_port):
    open(f'{d}/prometheus.yml', 'w').write(f"""global:
  scrape_interval: {interval}
  scrape_timeout: {interval}
scrape_configs:
  - job_name: bench
    metrics_path: /metrics
    file_sd_configs:
      - files: ['{d}/sd/targets.json']
remote_write:
  - url: http://127.0.0.1:{rw_port}/api/v1/write
""")


def runner_commands(a, d, run_dir):
    cfg = f'{d}/prometheus.yml'
    rw = f'http://127.0.0.1:{a.port}/api/v1/write'
    return {
        'prometheus': (f'prometheus --enable-feature=agent --config.file={cfg} --storage.agent.path={run_dir}/agent '
                       f'--web.listen-address=127.0.0.1:19090 --log.level=warn', ('Prometheus/',)),
        'vmagent': (f'vmagent -promscrape.config={cfg} -remoteWrite.url={rw} -httpListenAddr=127.0.0.1:18429 '
                    f'-remoteWrite.tmpDataPath={run_dir}/vmq -loggerLevel=ERROR -promscrape.config.strictParse=false',
                    # bodies over -promscrape.minResponseSizeForStreamParse go through Go's net/http client
                    ('vm_promscrape', 'Go-http-client/')),
        'ours': (a.ours.format(config=cfg, port=19091, dir=run_dir, java=a.java_bin, jvm_opts=a.jvm_opts, jar=a.jar),
                 ('scrapeflux/',)),
    }


def run_one(a, ng, d, name, targets, warmup, seconds):
    """Starts scraper `name` on `targets` targets, measures one window, stops it; returns a result dict."""
    write_targets(d, targets, ng.ports)
    run_dir = tempfile.mkdtemp(prefix=f'{name}-', dir=d)
    cmd, ua = runner_commands(a, d, run_dir)[name]
    log_path = f'{d}/{name}-{targets}.log'
    res = {'scraper': name, 'targets': targets, 'command': cmd, 'log': log_path}
    with open(log_path, 'w') as log:
        ng.reset_log()
        started = time.time()
        p = spawn(cmd, log, d)
        try:
            # warm-up counts from the first scrape, so start-up time (JVM, discovery throttles) is not part of it
            if not ng.first_scrape(ua, p, a.start_timeout):
                res['error'] = (f'no scrape within {a.start_timeout} s of starting' if p.poll() is None else
                                f'exited before scraping (status {p.returncode})') + f', see {log_path}'
                return res
            res['first_scrape_s'] = round(time.time() - started, 1)
            time.sleep(warmup)
            if p.poll() is not None:
                res['error'] = f'exited during warm-up (status {p.returncode}), see {log_path}'
                return res
            ng.reset_log()
            t0 = time.time()
            c0, _ = cpu_and_rss(p.pid)
            n0, _ = cpu_and_rss(ng.proc.pid)
            peak = 0
            while time.time() - t0 < seconds:
                time.sleep(min(1.0, max(0.0, seconds - (time.time() - t0))))
                peak = max(peak, cpu_and_rss(p.pid)[1])
            t1 = time.time()
            c1, _ = cpu_and_rss(p.pid)
            n1, _ = cpu_and_rss(ng.proc.pid)
            alive = p.poll() is None
        finally:
            stop(p)
    time.sleep(0.2)  # let nginx flush the last log lines
    scrapes, bad, rw_req, rw_bytes, agent = ng.count(t0, t1, ua)
    window = t1 - t0
    expected = targets * window / parse_seconds(a.interval)
    cpu = c1 - c0
    samples = scrapes * a.samples
    res.update({
        'window_s': round(window, 2), 'scrapes': scrapes, 'expected_scrapes': round(expected, 1),
        'scrape_ratio': round(scrapes / expected, 4) if expected else 0.0, 'failed_scrapes': bad,
        'samples_per_s': round(samples / window, 1), 'cpu_s': round(cpu, 2),
        'cpu_cores': round(cpu / window, 3),
        'cpu_s_per_1M_samples': round(cpu / (samples / 1e6), 3) if samples else None,
        'peak_rss_mib': round(peak / 2 ** 20, 1), 'nginx_cpu_s': round(n1 - n0, 2),
        'rw_requests': rw_req, 'rw_mib': round(rw_bytes / 2 ** 20, 2), 'user_agent': agent, 'alive': alive,
    })
    res['passed'] = alive and scrapes >= a.threshold * expected
    if not alive:
        res['error'] = f'exited during the window, see {log_path}'
    if not a.keep:
        shutil.rmtree(run_dir, ignore_errors=True)
    return res


# ---------------------------------------------------------------- modes

def fixed(a, ng, d, names, emit):
    results = []
    for name in names:
        r = run_one(a, ng, d, name, a.targets, a.warmup, a.seconds)
        emit(r)
        results.append(r)
    return results


def sustained(a, ng, d, names, emit):
    """Per scraper: doubling until a step fails (or --max-targets), then bisecting to --resolution."""
    summary, steps = [], []

    def step(name, n):
        r = run_one(a, ng, d, name, n, a.step_warmup, a.step_seconds)
        r['step'] = len([s for s in steps if s['scraper'] == name]) + 1
        steps.append(r)
        emit(r)
        return r

    for name in names:
        best, fail = None, None
        n = a.start_targets
        while True:
            r = step(name, n)
            if not r.get('passed'):
                fail = r
                break
            best = r
            if n >= a.max_targets:
                break
            n = min(n * 2, a.max_targets)
        lo = best['targets'] if best else 0
        hi = fail['targets'] if fail else None
        while hi is not None and hi - lo > max(1, int(lo * a.resolution)):
            mid = (lo + hi) // 2
            if mid <= 0:
                break
            r = step(name, mid)
            if r.get('passed'):
                best, lo = r, mid
            else:
                fail, hi = r, mid
        summary.append({
            'scraper': name,
            'max_targets': best['targets'] if best else 0,
            'samples_per_s': best['samples_per_s'] if best else 0.0,
            'scrape_ratio': best['scrape_ratio'] if best else None,
            'cpu_cores': best['cpu_cores'] if best else None,
            'cpu_s_per_1M_samples': best['cpu_s_per_1M_samples'] if best else None,
            'peak_rss_mib': best['peak_rss_mib'] if best else None,
            'first_failing_targets': fail['targets'] if fail else None,
            'first_failing_ratio': fail.get('scrape_ratio') if fail else None,
            'capped': fail is None,
        })
    return summary, steps


# ---------------------------------------------------------------- output

def fmt(v, spec=''):
    if v is None:
        return '-'
    if isinstance(v, bool):
        return 'yes' if v else 'no'
    return format(v, spec)


def step_line(r):
    if 'scrapes' not in r:
        return f"{r['scraper']:10s} {r['targets']:7d}  {r.get('error', '')}"
    mark = '' if 'passed' not in r else ('pass' if r['passed'] else 'FAIL')
    return (f"{r['scraper']:10s} {r['targets']:7d} {r['scrapes']:8d} {r['expected_scrapes']:9.0f} "
            f"{r['scrape_ratio']:6.3f} {r['failed_scrapes']:5d} {r['samples_per_s']:10.0f} {r['cpu_s']:7.2f} {r['cpu_cores']:5.2f} "
            f"{fmt(r['cpu_s_per_1M_samples'], '.3f'):>8s} {r['peak_rss_mib']:8.1f} {r['nginx_cpu_s']:6.2f} "
            f"{r['rw_requests']:6d} {r['rw_mib']:7.1f} {r['first_scrape_s']:5.1f}  {mark:4s} {r['user_agent']}")


STEP_HEADER = ('scraper    targets  scrapes  expected  ratio  !200  samples/s   cpu_s cores  s/1Msmp  rss_MiB '
               'ngx_s  rw_req  rw_MiB start  ok   ua')

STEP_COLUMNS = [('scraper', 'scraper', ''), ('targets', 'targets', 'd'), ('scrapes', 'scrapes', 'd'),
                ('expected', 'expected_scrapes', '.0f'), ('scraped/expected', 'scrape_ratio', '.3f'),
                ('non-200 scrapes', 'failed_scrapes', 'd'), ('samples/s', 'samples_per_s', ',.0f'), ('CPU s', 'cpu_s', '.2f'), ('cores', 'cpu_cores', '.2f'),
                ('CPU s per 1M samples', 'cpu_s_per_1M_samples', '.3f'), ('peak RSS MiB', 'peak_rss_mib', '.1f'),
                ('nginx CPU s', 'nginx_cpu_s', '.2f'), ('RW requests', 'rw_requests', 'd'),
                ('RW MiB', 'rw_mib', '.2f'), ('first scrape after s', 'first_scrape_s', '.1f')]

SUMMARY_COLUMNS = [('scraper', 'scraper', ''), ('max targets, no missed scrapes', 'max_targets', 'd'),
                   ('sustained samples/s', 'samples_per_s', ',.0f'), ('scraped/expected', 'scrape_ratio', '.3f'),
                   ('cores', 'cpu_cores', '.2f'), ('CPU s per 1M samples', 'cpu_s_per_1M_samples', '.3f'),
                   ('peak RSS MiB', 'peak_rss_mib', '.1f'), ('first failing targets', 'first_failing_targets', 'd'),
                   ('its scraped/expected', 'first_failing_ratio', '.3f')]


def md_table(rows, columns, extra=None):
    head = [c[0] for c in columns] + ([extra[0]] if extra else [])
    out = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for r in rows:
        cells = [fmt(r.get(key), spec) for _, key, spec in columns]
        if extra:
            cells.append(extra[1](r))
        out.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(out)


def markdown(meta, results, steps):
    lines = [f"### {meta['mode']} run, {meta['date']}", '',
             f"- command: `{meta['command']}`",
             f"- payload: {meta['payload']} ({meta['samples_per_scrape']} samples/scrape), interval {meta['interval']}, "
             + (f"{meta['targets']} targets, window {meta['window_s']} s after {meta['warmup_s']} s warm-up from the first scrape"
                if meta['mode'] == 'fixed' else
                f"steps of {meta['step_warmup_s']} s warm-up (from the first scrape) + {meta['step_seconds_s']} s window, targets from "
                f"{meta['start_targets']} doubling then bisecting to {meta['resolution']:.0%}, cap {meta['max_targets']}, "
                f"pass = scraped/expected >= {meta['threshold']}"),
             f"- scrapeflux: `{meta['ours_command']}`; JDK: {meta['jdk']}",
             f"- peers: {meta['prometheus_version']}; vmagent {meta['vmagent_version']}; nginx {meta['nginx_version']} "
             f"({meta['nginx_workers']} worker(s), {meta['target_ports']} target port(s))",
             f"- machine: {meta['cpus']} CPUs, load average at start {meta['loadavg_start']}, at end {meta['loadavg_end']}",
             '']
    if meta['mode'] == 'fixed':
        lines.append(md_table(results, STEP_COLUMNS, ('note', lambda r: r.get('error', ''))))
    else:
        lines += [md_table(results, SUMMARY_COLUMNS, ('note', lambda r: 'cap reached' if r['capped'] else '')), '',
                  '<details><summary>steps</summary>', '',
                  md_table(steps, STEP_COLUMNS, ('pass', lambda r: fmt(r.get('passed')) + (
                      ' ' + r['error'] if r.get('error') else ''))),
                  '', '</details>']
    return '\n'.join(lines) + '\n'


def resolve_java(spec):
    if spec in JDKS:
        spec = JDKS[spec]
    if os.path.isdir(spec):
        spec = os.path.join(spec, 'bin', 'java')
    if not (os.path.isfile(spec) or shutil.which(spec)):
        sys.exit(f'--java: no java at {spec}')
    return spec


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mode', choices=('fixed', 'sustained'), default='fixed')
    ap.add_argument('--payload', required=True, help='exposition file every target serves')
    ap.add_argument('--interval', default='1s', help='scrape_interval (= scrape_timeout)')
    ap.add_argument('--only', default=','.join(SCRAPERS), help='scrapers to run, in order: prometheus,vmagent,ours')
    ap.add_argument('--port', type=int, default=18080, help='first nginx port (remote-write sink and targets)')
    ap.add_argument('--target-ports', type=int, default=1,
                    help='nginx ports the targets are spread over (distinct host:port, as distinct exporters)')
    ap.add_argument('--nginx-workers', type=int, default=1)
    ap.add_argument('--gzip', action='store_true', help='nginx gzips the payload')
    ap.add_argument('--start-timeout', type=int, default=60,
                    help='seconds a scraper may take to its first scrape; warm-up starts after it')
    g = ap.add_argument_group('fixed mode')
    g.add_argument('--targets', type=int, default=100)
    g.add_argument('--seconds', type=int, default=30, help='measurement window')
    g.add_argument('--warmup', type=int, default=10)
    g = ap.add_argument_group('sustained mode')
    g.add_argument('--start-targets', type=int, default=50)
    g.add_argument('--max-targets', type=int, default=5000)
    g.add_argument('--step-warmup', type=int, default=10)
    g.add_argument('--step-seconds', type=int, default=20)
    g.add_argument('--threshold', type=float, default=0.99, help='scraped/expected a step needs to pass')
    g.add_argument('--resolution', type=float, default=0.1,
                   help='bisect until the passing and failing counts are this fraction apart')
    g = ap.add_argument_group('scrapeflux')
    g.add_argument('--java', default='17', help="17, 25 (Temurin), a JDK directory or a java binary")
    g.add_argument('--jvm-opts', default=DEFAULT_JVM_OPTS)
    g.add_argument('--jar', default=os.path.join(REPO, 'target', 'scrapeflux.jar'))
    g.add_argument('--ours', default=OURS_TEMPLATE,
                   help='command template; fields {java} {jvm_opts} {jar} {config} {port} {dir}')
    g = ap.add_argument_group('output')
    g.add_argument('--markdown', help="file to write a markdown report to ('-' = stdout)")
    g.add_argument('--json', help="file to write all results to as JSON ('-' = stdout)")
    g.add_argument('--keep', action='store_true', help='keep the work directory (configs, logs, access log)')
    a = ap.parse_args()

    names = [n for n in a.only.split(',') if n]
    unknown = [n for n in names if n not in SCRAPERS]
    if unknown:
        sys.exit(f'--only: unknown scraper(s) {unknown}; known: {SCRAPERS}')
    a.java_bin = resolve_java(a.java)
    a.jar = os.path.abspath(a.jar)
    if 'ours' in names and '{jar}' in a.ours and not os.path.isfile(a.jar):
        sys.exit(f'{a.jar} not found: build it with `mvn -B -o -q package -DskipTests`')
    for tool in {'prometheus': 'prometheus', 'vmagent': 'vmagent'}.items():
        if tool[0] in names and not shutil.which(tool[1]):
            sys.exit(f'{tool[1]} not installed (apt-get install prometheus victoria-metrics nginx-light)')
    ports = [a.port + i for i in range(a.target_ports)]
    busy = [p for p in ports + [19090, 19091, 18429] if not port_free(p)]
    if busy:
        sys.exit(f'ports in use on 127.0.0.1: {busy}')
    a.samples = sum(1 for line in open(a.payload) if line.strip() and not line.startswith('#'))

    meta = {
        'mode': a.mode, 'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'command': 'python3 ' + ' '.join(shlex.quote(x) for x in sys.argv),
        'payload': os.path.basename(a.payload), 'samples_per_scrape': a.samples, 'interval': a.interval,
        'targets': a.targets, 'window_s': a.seconds, 'warmup_s': a.warmup,
        'start_targets': a.start_targets, 'max_targets': a.max_targets, 'step_warmup_s': a.step_warmup,
        'step_seconds_s': a.step_seconds, 'threshold': a.threshold, 'resolution': a.resolution,
        'jdk': first_line(f'{shlex.quote(a.java_bin)} -version'), 'jvm_opts': a.jvm_opts,
        'ours_command': a.ours.format(config='{config}', port='{port}', dir='{dir}', java=a.java_bin,
                                      jvm_opts=a.jvm_opts, jar=a.jar),
        'prometheus_version': first_line('prometheus --version').split(' (')[0].replace(', version', ''),
        'vmagent_version': first_line("dpkg-query -W -f '${Version}' victoria-metrics"),
        'nginx_version': first_line('nginx -v').split('/')[-1], 'nginx_workers': a.nginx_workers, 'target_ports': a.target_ports,
        'cpus': os.cpu_count(), 'loadavg_start': ' '.join(f'{x:.2f}' for x in os.getloadavg()),
    }

    d = tempfile.mkdtemp(prefix='peerbench')
    ng = Nginx(d, a.payload, ports, a.nginx_workers, a.gzip)
    write_config(d, a.interval, a.port)
    print(f"# mode={a.mode} payload={meta['payload']} samples/scrape={a.samples} interval={a.interval} "
          f"load={meta['loadavg_start']} jdk={meta['jdk']} dir={d}", flush=True)
    print(STEP_HEADER, flush=True)

    def emit(r):
        print(step_line(r), flush=True)

    steps = []
    try:
        if a.mode == 'fixed':
            results = fixed(a, ng, d, names, emit)
        else:
            results, steps = sustained(a, ng, d, names, emit)
    finally:
        ng.close()
    meta['loadavg_end'] = ' '.join(f'{x:.2f}' for x in os.getloadavg())

    if a.mode == 'sustained':
        print('\nscraper    max_targets  samples/s  ratio  cores  s/1Msmp  rss_MiB  first_fail')
        for s in results:
            print(f"{s['scraper']:10s} {s['max_targets']:11d} {s['samples_per_s']:10.0f} "
                  f"{fmt(s['scrape_ratio'], '.3f'):>6s} {fmt(s['cpu_cores'], '.2f'):>6s} "
                  f"{fmt(s['cpu_s_per_1M_samples'], '.3f'):>8s} {fmt(s['peak_rss_mib'], '.1f'):>8s} "
                  f"{fmt(s['first_failing_targets'], 'd'):>10s}{'  (cap reached)' if s['capped'] else ''}")
    report = {'meta': meta, 'results': results, 'steps': steps}
    for path, text in ((a.markdown, lambda: markdown(meta, results, steps)),
                       (a.json, lambda: json.dumps(report, indent=2) + '\n')):
        if path == '-':
            sys.stdout.write('\n' + text())
        elif path:
            open(path, 'w').write(text())
    if a.keep or any(r.get('error') for r in results + steps):
        print(f'# logs kept in {d}', file=sys.stderr)
    else:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == '__main__':
    main()
