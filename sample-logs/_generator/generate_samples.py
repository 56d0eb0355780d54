#!/usr/bin/env python3
"""Writes relaywatch's sample logs: one week of the fictional company ACME, with the abuse stories of README.md.

Deterministic: the same seed gives byte-identical files (gzip with mtime 0). Standard library only.
Run from anywhere:  python3 sample-logs/_generator/generate_samples.py
"""
import gzip
import os
import random
from datetime import datetime, timedelta, timezone

# writes into sample-logs/, the folder above this script
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RNG = random.Random(20261109)

# --- the world -------------------------------------------------------------------------------------------------------
BERLIN = timezone(timedelta(hours=1))          # November: CET, no daylight saving
WEEK_START = datetime(2026, 11, 9, tzinfo=BERLIN)
DAYS = 7
DOMAIN = "acme.example"
MX1_PUBLIC, MX1_DMZ = "198.51.100.25", "192.168.50.25"
WWW_PUBLIC, WWW_DMZ = "198.51.100.80", "192.168.50.80"
BRANCH_MX = "203.0.113.60"
OWA = "10.10.0.30"
USERS = ["jmeier", "swolf", "tkoch", "abauer", "lschmidt", "mfischer", "kweber", "hbecker", "pwagner", "cschulz",
         "dhoffmann", "ekoch", "fricher", "gklein", "iwolff", "jlange"]
PARTNERS = [("mail.partner-logistics.example", "192.0.2.33"), ("mx.supplier-one.example", "192.0.2.41"),
            ("smtp.bank-statements.example", "192.0.2.57"), ("mx.city-council.example", "192.0.2.62"),
            ("out.newsletters-r-us.example", "192.0.2.90")]
REMOTE_DOMAINS = ["mailbox-provider.example", "partner-logistics.example", "supplier-one.example", "shop-a.example",
                  "freemail.example", "city-council.example", "lawyers-and-co.example", "insurance-direct.example"]

# the abuse stories (README.md lists them)
STOLEN_USER = "jmeier"
STOLEN_NET = "175.16.199"                       # rotating IPs of one foreign block
STOLEN_START = datetime(2026, 11, 11, 22, 0, tzinfo=BERLIN)
STOLEN_END = datetime(2026, 11, 12, 5, 0, tzinfo=BERLIN)
OPEN_RELAY_NETS = ["100.64.23", "100.71.8"]     # other customers of the ISP range branch-mx trusts
OPEN_RELAY_START = datetime(2026, 11, 10, 9, 0, tzinfo=BERLIN)
OPEN_RELAY_END = datetime(2026, 11, 13, 9, 0, tzinfo=BERLIN)
BLACKLISTED_FROM = datetime(2026, 11, 12, 0, 0, tzinfo=BERLIN)
PROBE_NET = "45.155.205"                        # relay probes and password spraying
PROXY_NET = "185.220.101"                       # proxy probes and the tunnel through www
PROXY_PROBE_DAY = datetime(2026, 11, 9, 14, 0, tzinfo=BERLIN)
TUNNEL_NIGHTS = [datetime(2026, 11, 10, 21, 0, tzinfo=BERLIN), datetime(2026, 11, 11, 21, 0, tzinfo=BERLIN)]
INFECTED_HOST = "10.10.5.23"
INFECTED_START = datetime(2026, 11, 12, 9, 0, tzinfo=BERLIN)
INFECTED_END = datetime(2026, 11, 13, 17, 0, tzinfo=BERLIN)
TRAVELLER = ("tkoch", "216.160.83.56", datetime(2026, 11, 13, 20, 14, 5, tzinfo=BERLIN))


# --- small helpers ---------------------------------------------------------------------------------------------------
def rnd_time(start, end):
    return start + timedelta(seconds=RNG.uniform(0, (end - start).total_seconds()))


def office_time(day):
    """A time of a working day, weighted to office hours."""
    hour = RNG.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 4, 10, 16, 18, 18, 16, 12, 16, 18, 16, 14, 10, 6, 4, 3, 2,
                                           2, 1])[0]
    return day.replace(hour=hour, minute=RNG.randrange(60), second=RNG.randrange(60))


def days():
    return [WEEK_START + timedelta(days=d) for d in range(DAYS)]


def qid():
    return "".join(RNG.choice("0123456789ABCDEF") for _ in range(10))


def syslog_ts(t):
    t = t.astimezone(BERLIN)
    return t.strftime("%b ") + f"{t.day:2d}" + t.strftime(" %H:%M:%S")


def utc(t):
    return t.astimezone(timezone.utc)


def rand_word(n=6):
    return "".join(RNG.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def spam_domain():
    return f"{rand_word(RNG.randint(4, 9))}.example"


def msgid(host):
    return f"{RNG.getrandbits(48):012x}.{RNG.getrandbits(24):06x}@{host}"


def remote_mx(domain):
    n = sum(map(ord, domain)) % 140
    return f"mx.{domain}", f"203.0.113.{100 + n}"


class Log:
    """Collects (time, line) pairs and writes them in time order."""

    def __init__(self, path):
        self.path = path
        self.entries = []

    def add(self, t, line):
        self.entries.append((t, len(self.entries), line))

    def write(self, header=(), compress=False, windows=False, bom=False):
        """windows: CRLF line ends, as Windows servers write; bom: a UTF-8 byte-order mark first, as Exchange does."""
        self.entries.sort(key=lambda e: (e[0], e[1]))
        end = "\r\n" if windows else "\n"
        text = "".join(h + end for h in header) + "".join(line + end for _, _, line in self.entries)
        full = os.path.join(HERE, self.path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        data = ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
        if compress:
            with open(full, "wb") as raw:
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                    gz.write(data)
        else:
            with open(full, "wb") as f:
                f.write(data)


class Pids:
    def __init__(self, start):
        self.next = start

    def __call__(self):
        self.next += RNG.randint(1, 40)
        return self.next


# --- Postfix ---------------------------------------------------------------------------------------------------------
class Postfix:
    """Writes Postfix lines for one host, one message at a time, the way Postfix 3.7 logs them."""

    def __init__(self, log, host, pid_start):
        self.log = log
        self.host = host
        self.pid = Pids(pid_start)
        self.qmgr_pid = pid_start - 7

    def line(self, t, program, pid, text):
        self.log.add(t, f"{syslog_ts(t)} {self.host} postfix/{program}[{pid}]: {text}")

    def session(self, t, client_host, client_ip, helo, messages, sasl=None, port_program="smtpd", duration=None):
        """An SMTP session that submits `messages`: list of (sender, [(rcpt, outcome)]). Returns queue ids."""
        pid = self.pid()
        self.line(t, port_program, pid, f"connect from {client_host}[{client_ip}]")
        ids = []
        step = (duration or timedelta(seconds=2 + 2 * len(messages))) / max(1, len(messages) + 1)
        now = t
        for sender, rcpts in messages:
            now += step
            q = qid()
            ids.append(q)
            extra = f", sasl_method=LOGIN, sasl_username={sasl}" if sasl else ""
            self.line(now, port_program, pid, f"{q}: client={client_host}[{client_ip}]{extra}")
            self.line(now + timedelta(milliseconds=40), "cleanup", self.pid(), f"{q}: message-id=<{msgid(DOMAIN)}>")
            self.line(now + timedelta(milliseconds=80), "qmgr", self.qmgr_pid,
                      f"{q}: from=<{sender}>, size={RNG.randint(1500, 90000)}, nrcpt={len(rcpts)} (queue active)")
            self.deliveries(now + timedelta(milliseconds=500), q, sender, rcpts)
        n = len(messages)
        stats = (f"ehlo=1 auth=1 mail={n} rcpt={sum(len(r) for _, r in messages)} data={n} quit=1 commands={3 + 3 * n}"
                 if sasl else f"ehlo=1 mail={n} rcpt={sum(len(r) for _, r in messages)} data={n} quit=1 "
                              f"commands={2 + 3 * n}")
        self.line(now + step, port_program, pid, f"disconnect from {client_host}[{client_ip}] {stats}")
        return ids

    def deliveries(self, t, q, sender, rcpts):
        """outcome: ('sent', relay_host, relay_ip, reply) | ('deferred', ...) | ('bounced', ...) | ('local',)"""
        all_final = True
        for rcpt, outcome in rcpts:
            t += timedelta(milliseconds=RNG.randint(100, 900))
            delay = f"delay={RNG.uniform(0.2, 3):.1f}, delays=0.1/0.02/{RNG.uniform(0.05, 1):.2f}/{RNG.uniform(0.05, 1):.2f}"
            kind = outcome[0]
            if kind == "local":
                self.line(t, "lmtp", self.pid(), f"{q}: to=<{rcpt}>, relay=imap.{DOMAIN}[10.10.0.20]:24, {delay}, "
                                                 f"dsn=2.0.0, status=sent (250 2.0.0 <{rcpt}> Saved)")
                continue
            _, rhost, rip, reply = outcome
            dsn = {"sent": "2.0.0", "deferred": "4.7.0", "bounced": "5.7.1"}[kind]
            if kind == "sent":
                text = f"status=sent ({reply})"
            else:
                text = f"status={kind} (host {rhost}[{rip}] said: {reply} (in reply to RCPT TO command))"
                all_final = all_final and kind == "bounced"
                if kind == "deferred":
                    all_final = False
            self.line(t, "smtp", self.pid(), f"{q}: to=<{rcpt}>, relay={rhost}[{rip}]:25, {delay}, dsn={dsn}, {text}")
            if kind == "bounced":
                nq = qid()
                self.line(t + timedelta(milliseconds=30), "bounce", self.pid(),
                          f"{q}: sender non-delivery notification: {nq}")
                self.line(t + timedelta(milliseconds=60), "qmgr", self.qmgr_pid,
                          f"{nq}: from=<>, size={RNG.randint(3000, 9000)}, nrcpt=1 (queue active)")
                if "@" in sender and not sender.endswith(DOMAIN):
                    sdom = sender.split("@")[1]
                    bh, bip = remote_mx(sdom)
                    self.line(t + timedelta(milliseconds=400), "smtp", self.pid(),
                              f"{nq}: to=<{sender}>, relay={bh}[{bip}]:25, delay=0.4, delays=0/0/0.2/0.2, dsn=5.1.1, "
                              f"status=bounced (host {bh}[{bip}] said: 550 5.1.1 <{sender}>: Recipient address "
                              f"rejected: User unknown (in reply to RCPT TO command))")
                else:
                    self.line(t + timedelta(milliseconds=400), "lmtp", self.pid(),
                              f"{nq}: to=<{sender}>, relay=imap.{DOMAIN}[10.10.0.20]:24, delay=0.3, "
                              f"delays=0/0/0.1/0.2, dsn=2.0.0, status=sent (250 2.0.0 <{sender}> Saved)")
                self.line(t + timedelta(milliseconds=450), "qmgr", self.qmgr_pid, f"{nq}: removed")
        if all_final:
            self.line(t + timedelta(milliseconds=50), "qmgr", self.qmgr_pid, f"{q}: removed")


def sent(domain, queued_as=None):
    h, ip = remote_mx(domain)
    return ("sent", h, ip, f"250 2.0.0 Ok: queued as {queued_as or qid()}")


def outcome_for(domain, t, abusive=False):
    """What a remote MX answers mx1: mostly accepted; once blacklisted, DNSBL rejects for abusive traffic."""
    h, ip = remote_mx(domain)
    if abusive and t >= BLACKLISTED_FROM and RNG.random() < 0.55:
        reply = RNG.choice([f"550 5.7.1 Service unavailable; Client host [{MX1_PUBLIC}] blocked using zen.spamhaus.org",
                            f"554 5.7.1 Rejected: {MX1_PUBLIC} listed on bl.spamcop.net",
                            f"550 5.7.1 Mail from {MX1_PUBLIC} refused - see https://www.spamhaus.org/query/ip/{MX1_PUBLIC}"])
        return ("bounced", h, ip, reply)
    if abusive and RNG.random() < 0.35:
        return ("deferred", h, ip, "421 4.7.0 Try again later, closing connection.")
    if abusive and RNG.random() < 0.08:
        return ("bounced", h, ip, "550 5.1.1 User unknown")
    return sent(domain)


# --- generators per host ---------------------------------------------------------------------------------------------
def mx1_and_friends():
    mx = Log("mx1/mail.log-20261116")
    pf = Postfix(mx, "mx1", 20000)
    www_log = Log("www/mail.log-20261116")
    wpf = Postfix(www_log, "www", 4100)
    zeek = []
    mx_local_ips = {u: f"10.10.5.{30 + i}" for i, u in enumerate(USERS)}

    # benign outbound submissions by users
    for day in days():
        weekend = day.weekday() >= 5
        for user in USERS:
            for _ in range(RNG.randint(0, 3) if weekend else RNG.randint(8, 25)):
                t = office_time(day)
                rcpts = []
                for _ in range(RNG.choice([1, 1, 1, 2, 3])):
                    if RNG.random() < 0.4:
                        rcpts.append((f"{RNG.choice(USERS)}@{DOMAIN}", ("local",)))
                    else:
                        d = RNG.choice(REMOTE_DOMAINS)
                        rcpts.append((f"{rand_word(5)}@{d}", sent(d)))
                ip = mx_local_ips[user]
                pf.session(t, "unknown", ip, f"ws-{ip.split('.')[-1]}.{DOMAIN}", [(f"{user}@{DOMAIN}", rcpts)],
                           sasl=user, port_program="submission/smtpd")
        # inbound mail from partners, through postscreen
        for _ in range(RNG.randint(20, 40) if weekend else RNG.randint(120, 180)):
            t = office_time(day)
            host, ip = RNG.choice(PARTNERS)
            port = RNG.randint(30000, 65000)
            pf.line(t, "postscreen", pf.pid(), f"CONNECT from [{ip}]:{port} to [{MX1_PUBLIC}]:25")
            pf.line(t + timedelta(seconds=1), "postscreen", pf.pid(), f"PASS OLD [{ip}]:{port}")
            rcpts = [(f"{RNG.choice(USERS)}@{DOMAIN}", ("local",)) for _ in range(RNG.choice([1, 1, 2]))]
            pf.session(t + timedelta(seconds=1), host, ip, host, [(f"{rand_word(6)}@{host.split('.', 1)[1]}", rcpts)])
        # internet background: DNSBL-listed bots turned away by postscreen, SASL guessing
        for _ in range(RNG.randint(30, 60)):
            t = rnd_time(day, day + timedelta(days=1))
            ip = f"{RNG.randint(30, 220)}.{RNG.randint(0, 255)}.{RNG.randint(0, 255)}.{RNG.randint(1, 254)}"
            port = RNG.randint(30000, 65000)
            p = pf.pid()
            pf.line(t, "postscreen", p, f"CONNECT from [{ip}]:{port} to [{MX1_PUBLIC}]:25")
            pf.line(t + timedelta(seconds=1), "postscreen", p, f"DNSBL rank 4 for [{ip}]:{port}")
            pf.line(t + timedelta(seconds=2), "postscreen", p,
                    f"NOQUEUE: reject: RCPT from [{ip}]:{port}: 550 5.7.1 Service unavailable; client [{ip}] blocked "
                    f"using zen.spamhaus.org; from=<{rand_word()}@{spam_domain()}>, to=<{RNG.choice(USERS)}@{DOMAIN}>, "
                    f"proto=ESMTP, helo=<{rand_word()}.example>")
            pf.line(t + timedelta(seconds=3), "postscreen", p, f"DISCONNECT [{ip}]:{port}")
        for _ in range(RNG.randint(5, 15)):
            t = rnd_time(day, day + timedelta(days=1))
            ip = f"{PROBE_NET}.{RNG.randint(2, 250)}"
            p = pf.pid()
            pf.line(t, "submission/smtpd", p, f"connect from unknown[{ip}]")
            pf.line(t + timedelta(seconds=2), "submission/smtpd", p,
                    f"warning: unknown[{ip}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6")
            pf.line(t + timedelta(seconds=3), "submission/smtpd", p,
                    f"lost connection after AUTH from unknown[{ip}]")
            pf.line(t + timedelta(seconds=3), "submission/smtpd", p,
                    f"disconnect from unknown[{ip}] ehlo=1 auth=0/1 commands=1/2")

    # relay probes from one /24 (Mon-Tue)
    for _ in range(60):
        t = rnd_time(datetime(2026, 11, 9, 1, 0, tzinfo=BERLIN), datetime(2026, 11, 10, 23, 0, tzinfo=BERLIN))
        ip = f"{PROBE_NET}.{RNG.randint(2, 250)}"
        p = pf.pid()
        pf.line(t, "smtpd", p, f"connect from unknown[{ip}]")
        pf.line(t + timedelta(seconds=1), "smtpd", p,
                f"NOQUEUE: reject: RCPT from unknown[{ip}]: 554 5.7.1 <{rand_word()}@{spam_domain()}>: Relay access "
                f"denied; from=<{rand_word()}@{spam_domain()}> to=<{rand_word()}@{spam_domain()}> proto=ESMTP "
                f"helo=<{ip}>")
        pf.line(t + timedelta(seconds=2), "smtpd", p, f"disconnect from unknown[{ip}] ehlo=1 mail=1 rcpt=0/1 quit=1 "
                                                      f"commands=3/4")

    # newsletter, Tuesday 10:00: legitimate bulk by an authenticated list account
    t = datetime(2026, 11, 10, 10, 0, 5, tzinfo=BERLIN)
    rcpts = []
    for i in range(800):
        d = RNG.choice(REMOTE_DOMAINS + [spam_domain() for _ in range(3)])
        rcpts.append((f"customer{i:03d}@{d}", sent(d)))
    pf.session(t, "news", "10.10.0.60", f"news.{DOMAIN}", [(f"newsletter@{DOMAIN}", rcpts)], sasl="newsletter",
               port_program="submission/smtpd", duration=timedelta(minutes=4))

    # the traveller: one session from a hotel abroad
    user, ip, t = TRAVELLER
    d = "partner-logistics.example"
    pf.session(t, "unknown", ip, "laptop-tk", [(f"{user}@{DOMAIN}", [(f"orders@{d}", sent(d))])], sasl=user,
               port_program="submission/smtpd")

    # story 1: stolen password, rotating IPs of one foreign block, long sessions, a new HELO each time
    hosts = RNG.sample(range(2, 254), 40)
    t = STOLEN_START
    total = 0
    while t < STOLEN_END and total < 2500:
        ip = f"{STOLEN_NET}.{RNG.choice(hosts)}"
        helo = RNG.choice([f"{rand_word(7)}.example", f"[{ip}]", f"WIN-{rand_word(8).upper()}", rand_word(10)])
        n = RNG.randint(10, 30)
        duration = timedelta(minutes=RNG.uniform(2, 9))
        msgs = []
        for _ in range(n):
            rc = []
            for _ in range(RNG.randint(1, 10)):
                d = spam_domain() if RNG.random() < 0.7 else RNG.choice(REMOTE_DOMAINS)
                rc.append((f"{rand_word(7)}@{d}", outcome_for(d, t, abusive=RNG.random() < 0.3)))
            msgs.append((f"{STOLEN_USER}@{DOMAIN}", rc))
        pf.session(t, "unknown", ip, helo, msgs, sasl=STOLEN_USER, port_program="submission/smtpd", duration=duration)
        port = RNG.randint(30000, 65000)
        zeek.append((t, ip, port, MX1_PUBLIC, 587, helo, f"{STOLEN_USER}@{DOMAIN}",
                     [r for _, rc in msgs[:1] for r, _ in rc], "235 2.7.0 Authentication successful"))
        total += n
        t += duration + timedelta(seconds=RNG.randint(5, 60))

    # story 2, mx1's side: branch-mx forwards open-relay traffic (queue ids chained) -> deferrals, backscatter, DNSBL
    relay_msgs = []
    t = OPEN_RELAY_START
    while t < OPEN_RELAY_END:
        t += timedelta(seconds=RNG.randint(120, 600))
        sender = f"{rand_word(6)}@{spam_domain()}"
        rcpts = [f"{rand_word(7)}@{spam_domain()}" for _ in range(RNG.randint(1, 5))]
        q = qid()
        relay_msgs.append((t, sender, rcpts, q))
        p = pf.pid()
        pf.line(t, "smtpd", p, f"connect from branch-mx.{DOMAIN}[{BRANCH_MX}]")
        pf.line(t + timedelta(milliseconds=200), "smtpd", p, f"{q}: client=branch-mx.{DOMAIN}[{BRANCH_MX}]")
        pf.line(t + timedelta(milliseconds=300), "cleanup", pf.pid(), f"{q}: message-id=<{msgid(spam_domain())}>")
        pf.line(t + timedelta(milliseconds=400), "qmgr", pf.qmgr_pid,
                f"{q}: from=<{sender}>, size={RNG.randint(2000, 40000)}, nrcpt={len(rcpts)} (queue active)")
        pf.line(t + timedelta(milliseconds=500), "smtpd", p,
                f"disconnect from branch-mx.{DOMAIN}[{BRANCH_MX}] ehlo=1 mail=1 rcpt={len(rcpts)} data=1 quit=1 "
                f"commands={4 + len(rcpts)}")
        pf.deliveries(t + timedelta(seconds=1), q, sender,
                      [(r, outcome_for(r.split("@")[1], t, abusive=True)) for r in rcpts])

    # story 3, the MTA side: www's local Postfix relays what the proxy tunnel injected, through mx1
    tunnel_requests = []
    for night in TUNNEL_NIGHTS:
        t = night
        end = night + timedelta(hours=7)
        while t < end:
            t += timedelta(seconds=RNG.randint(20, 60))
            ip = f"{PROXY_NET}.{RNG.choice([17, 41, 66, 203])}"
            tunnel_requests.append((t, ip))
            if RNG.random() < 0.15:
                wpf.line(t, "smtpd", wpf.pid(),
                         f"warning: non-SMTP command from localhost[127.0.0.1]: POST http://127.0.0.1:25/ HTTP/1.1")
                continue
            sender = f"{rand_word(6)}@{spam_domain()}"
            rcpts = [f"{rand_word(7)}@{spam_domain()}" for _ in range(RNG.randint(1, 4))]
            mxq = qid()
            wpf.session(t, "localhost", "127.0.0.1", "localhost",
                        [(sender, [(r, ("sent", f"mx1.{DOMAIN}", MX1_DMZ, f"250 2.0.0 Ok: queued as {mxq}"))
                                   for r in rcpts])])
            t2 = t + timedelta(seconds=2)
            p = pf.pid()
            pf.line(t2, "smtpd", p, f"connect from www.{DOMAIN}[{WWW_DMZ}]")
            pf.line(t2, "smtpd", p, f"{mxq}: client=www.{DOMAIN}[{WWW_DMZ}]")
            pf.line(t2 + timedelta(milliseconds=100), "cleanup", pf.pid(), f"{mxq}: message-id=<{msgid('www.' + DOMAIN)}>")
            pf.line(t2 + timedelta(milliseconds=200), "qmgr", pf.qmgr_pid,
                    f"{mxq}: from=<{sender}>, size={RNG.randint(2000, 20000)}, nrcpt={len(rcpts)} (queue active)")
            pf.line(t2 + timedelta(milliseconds=300), "smtpd", p,
                    f"disconnect from www.{DOMAIN}[{WWW_DMZ}] ehlo=1 mail=1 rcpt={len(rcpts)} data=1 quit=1 "
                    f"commands={4 + len(rcpts)}")
            pf.deliveries(t2 + timedelta(seconds=1), mxq, sender,
                          [(r, outcome_for(r.split("@")[1], t2, abusive=True)) for r in rcpts])
    # www's own Postfix also sends the site's contact-form mail, through mx1 (benign)
    for day in days():
        for _ in range(RNG.randint(2, 6)):
            t = office_time(day)
            mxq = qid()
            wpf.session(t, "localhost", "127.0.0.1", "localhost",
                        [(f"www-data@www.{DOMAIN}", [(f"sales@{DOMAIN}",
                                                      ("sent", f"mx1.{DOMAIN}", MX1_DMZ,
                                                       f"250 2.0.0 Ok: queued as {mxq}"))])])
    mx.write()
    www_log.write()

    # the rotated part of last week (Sunday evening, benign)
    old = Log("mx1/mail.log-20261109.gz")
    opf = Postfix(old, "mx1", 18000)
    for _ in range(60):
        t = rnd_time(datetime(2026, 11, 8, 18, 0, tzinfo=BERLIN), datetime(2026, 11, 8, 23, 59, tzinfo=BERLIN))
        host, ip = RNG.choice(PARTNERS)
        opf.session(t, host, ip, host, [(f"info@{host.split('.', 1)[1]}", [(f"{RNG.choice(USERS)}@{DOMAIN}",
                                                                            ("local",))])])
    old.write(compress=True)
    return zeek, relay_msgs, tunnel_requests


def zeek_smtp(stolen_sessions):
    log = Log("sensor/smtp.log")
    fields = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "trans_depth", "helo", "mailfrom",
              "rcptto", "date", "from", "to", "cc", "reply_to", "msg_id", "in_reply_to", "subject",
              "x_originating_ip", "first_received", "second_received", "last_reply", "path", "user_agent", "tls",
              "fuids", "is_webmail"]
    types = ["time", "string", "addr", "port", "addr", "port", "count", "string", "string", "set[string]", "string",
             "string", "set[string]", "set[string]", "string", "string", "string", "string", "addr", "string",
             "string", "string", "vector[addr]", "string", "bool", "vector[string]", "bool"]

    def uid():
        return "C" + "".join(RNG.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                             for _ in range(17))

    def record(t, oh, op, rh, rp, helo, mailfrom, rcpts, reply, tls):
        ts = f"{utc(t).timestamp():.6f}"
        rc = ",".join(rcpts) if rcpts else "-"
        return "\t".join([ts, uid(), oh, str(op), rh, str(rp), "1", helo or "-", mailfrom or "-", rc, "-", "-", "-",
                          "-", "-", "-", "-", "-", "-", "-", "-", reply, f"{rh},{oh}", "-", "T" if tls else "F",
                          "(empty)", "F"])

    for t, ip, port, rh, rp, helo, mailfrom, rcpts, reply in stolen_sessions:
        log.add(t, record(t, ip, port, rh, rp, helo, mailfrom, rcpts, reply, True))
    for day in days():
        for _ in range(RNG.randint(40, 90)):
            t = office_time(day)
            host, ip = RNG.choice(PARTNERS)
            log.add(t, record(t, ip, RNG.randint(30000, 65000), MX1_PUBLIC, 25, host,
                              f"{rand_word(6)}@{host.split('.', 1)[1]}", [f"{RNG.choice(USERS)}@{DOMAIN}"],
                              "250 2.0.0 Ok: queued as " + qid(), True))
    t0 = WEEK_START
    t1 = WEEK_START + timedelta(days=DAYS)
    log.write(header=["#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-",
                      "#path\tsmtp", f"#open\t{utc(t0).strftime('%Y-%m-%d-%H-%M-%S')}",
                      "#fields\t" + "\t".join(fields), "#types\t" + "\t".join(types)])
    with open(os.path.join(HERE, log.path), "a", encoding="utf-8") as f:
        f.write(f"#close\t{utc(t1).strftime('%Y-%m-%d-%H-%M-%S')}\n")


def branch_mx(relay_msgs):
    log = Log("branch-mx/mainlog-20261116")
    branch_users = ["rkrause", "nbraun", "ozimmer"]

    def ts(t):
        return t.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S")

    def exim_id(t):
        base = "".join(RNG.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") for _ in range(6))
        return f"1{base[1:]}-{RNG.randint(0, 999999):06d}-{rand_word(2).upper()}"

    for day in days():
        for _ in range(0 if day.weekday() >= 5 else RNG.randint(10, 25)):
            t = office_time(day)
            user = RNG.choice(branch_users)
            ip = f"10.30.1.{RNG.randint(10, 60)}"
            mid = exim_id(t)
            d = RNG.choice(REMOTE_DOMAINS)
            rcpt = f"{rand_word(5)}@{d}"
            mxq = qid()
            log.add(t, f"{ts(t)} {mid} <= {user}@{DOMAIN} H=(ws-{ip.split('.')[-1]}) [{ip}]:{RNG.randint(40000, 60000)} "
                       f"P=esmtpa A=login:{user} S={RNG.randint(1500, 60000)} id={msgid(DOMAIN)}")
            t2 = t + timedelta(seconds=1)
            log.add(t2, f"{ts(t2)} {mid} => {rcpt} R=smarthost T=remote_smtp H=mx1.{DOMAIN} [{MX1_PUBLIC}] "
                        f"X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 Ok: queued as {mxq}\"")
            log.add(t2, f"{ts(t2)} {mid} Completed")
    # story 2: relaying for strangers of the trusted ISP range; forwarded to mx1 (queue ids chain)
    for t, sender, rcpts, mxq in relay_msgs:
        t0 = t - timedelta(seconds=2)
        ip = f"{RNG.choice(OPEN_RELAY_NETS)}.{RNG.randint(2, 254)}"
        mid = exim_id(t0)
        log.add(t0, f"{ts(t0)} {mid} <= {sender} H=({rand_word(8)}.example) [{ip}]:{RNG.randint(1024, 65000)} P=esmtp "
                    f"S={RNG.randint(2000, 40000)} id={msgid(spam_domain())}")
        for r in rcpts:
            log.add(t, f"{ts(t)} {mid} => {r} R=smarthost T=remote_smtp H=mx1.{DOMAIN} [{MX1_PUBLIC}] "
                       f"C=\"250 2.0.0 Ok: queued as {mxq}\"")
        log.add(t, f"{ts(t)} {mid} Completed")
    # relay probes and password guessing
    for _ in range(40):
        t = rnd_time(datetime(2026, 11, 9, 2, 0, tzinfo=BERLIN), datetime(2026, 11, 10, 20, 0, tzinfo=BERLIN))
        ip = f"{PROBE_NET}.{RNG.randint(2, 250)}"
        log.add(t, f"{ts(t)} H=({ip}) [{ip}]:{RNG.randint(1024, 65000)} F=<{rand_word()}@{spam_domain()}> rejected RCPT "
                   f"<{rand_word()}@{spam_domain()}>: relay not permitted")
    for _ in range(25):
        t = rnd_time(WEEK_START, WEEK_START + timedelta(days=DAYS))
        ip = f"{PROBE_NET}.{RNG.randint(2, 250)}"
        user = RNG.choice(["admin", "info", "test", "rkrause"])
        log.add(t, f"{ts(t)} login authenticator failed for ({rand_word(6)}) [{ip}]:{RNG.randint(1024, 65000)}: "
                   f"535 Incorrect authentication data (set_id={user})")
    log.write()


def www_access(tunnel_requests):
    log = Log("www/access.log-20261116")
    agents = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
              "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
              "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"]
    bots = ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"]
    pages = ["/", "/products/", "/products/widgets", "/about", "/contact", "/assets/site.css", "/assets/app.js",
             "/images/logo.png", "/careers", "/news/2026/11/new-warehouse"]

    def clf(t):
        return t.astimezone(BERLIN).strftime("%d/%b/%Y:%H:%M:%S %z")

    def add(t, vhost, ip, req, status, size, ref="-", ua="-"):
        log.add(t, f'{vhost} {ip} - - [{clf(t)}] "{req}" {status} {size} "{ref}" "{ua}"')

    for day in days():
        for _ in range(RNG.randint(250, 450)):
            t = office_time(day)
            ip = f"{RNG.randint(80, 95)}.{RNG.randint(0, 255)}.{RNG.randint(0, 255)}.{RNG.randint(1, 254)}"
            page = RNG.choice(pages)
            add(t, f"www.{DOMAIN}:443", ip, f"GET {page} HTTP/2.0", RNG.choice([200] * 12 + [304, 404]),
                RNG.randint(300, 40000), RNG.choice(["-", f"https://www.{DOMAIN}/"]), RNG.choice(agents))
        for _ in range(RNG.randint(30, 60)):
            t = rnd_time(day, day + timedelta(days=1))
            add(t, f"www.{DOMAIN}:443", f"66.249.66.{RNG.randint(1, 200)}", f"GET {RNG.choice(pages)} HTTP/1.1", 200,
                RNG.randint(300, 40000), "-", RNG.choice(bots))
        for _ in range(RNG.randint(10, 30)):
            t = rnd_time(day, day + timedelta(days=1))
            add(t, f"www.{DOMAIN}:80", f"{RNG.randint(100, 200)}.{RNG.randint(0, 255)}.{RNG.randint(0, 255)}.7",
                RNG.choice(["GET /wp-login.php HTTP/1.1", "GET /.env HTTP/1.1", "POST /xmlrpc.php HTTP/1.1",
                            "GET /phpmyadmin/ HTTP/1.1"]), 404, 196, "-", "Mozilla/5.0 zgrab/0.x")
    # story 3: proxy probes on Monday afternoon, then the tunnel to the local MTA
    for _ in range(45):
        t = rnd_time(PROXY_PROBE_DAY, PROXY_PROBE_DAY + timedelta(hours=4))
        ip = f"{PROXY_NET}.{RNG.randint(2, 250)}"
        req, status = RNG.choice([("GET http://www.proxy-judge.example/azenv.php HTTP/1.1", 200),
                                  ("GET http://www.proxy-judge.example/azenv.php HTTP/1.1", 404),
                                  ("CONNECT mx.mailbox-provider.example:25 HTTP/1.1", 405),
                                  (f"GET http://{MX1_PUBLIC}:25/ HTTP/1.1", 502),
                                  ("CONNECT 127.0.0.1:25 HTTP/1.1", 405)])
        add(t, f"www.{DOMAIN}:80", ip, req, status, RNG.randint(150, 900), "-", "Mozilla/4.0 (compatible; MSIE 6.0)")
    for t, ip in tunnel_requests:
        add(t - timedelta(milliseconds=300), f"www.{DOMAIN}:80", ip, "POST http://127.0.0.1:25/ HTTP/1.1", 200,
            RNG.randint(60, 240), "-", "-")
    log.write()

    old = Log("www/other_vhosts_access.log-20261109.gz")
    for _ in range(400):
        t = rnd_time(datetime(2026, 11, 2, tzinfo=BERLIN), datetime(2026, 11, 9, tzinfo=BERLIN))
        ip = f"{RNG.randint(80, 95)}.{RNG.randint(0, 255)}.{RNG.randint(0, 255)}.{RNG.randint(1, 254)}"
        old.add(t, f'{ip} - - [{clf(t)}] "GET /shop/{RNG.choice(["", "cart", "item/17", "item/42"])} HTTP/1.1" '
                   f'{RNG.choice([200, 200, 200, 302])} {RNG.randint(300, 20000)} "-" "{RNG.choice(agents)}"')
    old.write(compress=True)


def owa():
    iis = Log("owa/u_ex261110.log")
    day = datetime(2026, 11, 10, tzinfo=BERLIN)
    for _ in range(700):
        t = office_time(day)
        user = RNG.choice(USERS)
        ip = f"10.10.5.{30 + USERS.index(user)}"
        stem, query = RNG.choice([("/owa/", "-"), ("/owa/service.svc", "action=GetItem&ID=-12&AC=1"),
                                  ("/EWS/Exchange.asmx", "-"),
                                  ("/Microsoft-Server-ActiveSync/default.eas",
                                   f"Cmd=Sync&User={user}&DeviceId=A{RNG.randint(100, 999)}&DeviceType=iPhone")])
        iis.add(t, f"{utc(t).strftime('%Y-%m-%d %H:%M:%S')} {OWA} {RNG.choice(['GET', 'POST'])} {stem} {query} 443 "
                   f"ACME\\{user} {ip} Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - 200 0 0 {RNG.randint(3, 400)}")
    for _ in range(120):   # password spray against OWA
        t = rnd_time(day.replace(hour=2), day.replace(hour=4))
        ip = f"{PROBE_NET}.{RNG.randint(2, 250)}"
        iis.add(t, f"{utc(t).strftime('%Y-%m-%d %H:%M:%S')} {OWA} POST /owa/auth.owa - 443 {RNG.choice(USERS)} {ip} "
                   f"python-requests/2.31.0 - 401 1 1326 {RNG.randint(20, 90)}")
    iis.write(header=["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
                      "#Date: 2026-11-10 00:00:00",
                      "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
                      "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"], windows=True)

    fields = ("date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,"
              "event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,"
              "total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,"
              "return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,"
              "transport-traffic-type,log-id,schema-version")
    trk = Log("owa/MSGTRK20261110-1.LOG")
    fragment = []
    subjects = ["Weekly report", "Re: Offer 2026-117", "Invoice, November", "Lunch?", "\"Urgent\" contract update"]

    def csv(v):
        return '"' + v.replace('"', '""') + '"' if ("," in v or '"' in v) else v

    for i in range(120):
        t = office_time(day)
        internal = 21474836480 + i
        mid = f"<{msgid(DOMAIN)}>"
        user = RNG.choice(USERS)
        host, ip = RNG.choice(PARTNERS)
        subject = RNG.choice(subjects)
        d = host.split(".", 1)[1]
        received = [f"{utc(t).isoformat(timespec='milliseconds').replace('+00:00', 'Z')}", ip, host, OWA, "OWA",
                    "08DC0A1B2C3D;250 2.0.0 OK", "OWA\\Default Frontend OWA", "SMTP", "RECEIVE", str(internal), mid,
                    f"{RNG.getrandbits(64):016x}", f"{user}@{DOMAIN}", "", str(RNG.randint(2000, 90000)), "1", "", "",
                    subject, f"{rand_word(5)}@{d}", f"{rand_word(5)}@{d}", "", "Incoming", "", ip, OWA, "", "Email",
                    f"{RNG.getrandbits(64):016x}", "15.02.1118.007"]
        line = ",".join(csv(v) for v in received)
        trk.add(t, line)
        if i < 20:
            fragment.append((t, line))
        t2 = t + timedelta(seconds=1)
        delivered = list(received)
        delivered[0] = utc(t2).isoformat(timespec='milliseconds').replace('+00:00', 'Z')
        delivered[1:3] = ["", ""]
        delivered[5:9] = ["", "", "STOREDRIVER", "DELIVER"]
        trk.add(t2, ",".join(csv(v) for v in delivered))
    trk.write(header=["#Software: Microsoft Exchange Server", "#Version: 15.02.1118.007",
                      "#Log-type: Message Tracking Log", "#Date: 2026-11-10T00:00:00.000Z", "#Fields: " + fields],
              windows=True, bom=True)
    frag = Log("owa/MSGTRK_noheader.LOG")
    for t, line in fragment:
        frag.add(t, line)
    frag.write(windows=True)

    recv = Log("owa/RECV20261110-1.LOG")
    for s in range(60):
        spray = s % 3 == 0
        t = rnd_time(day.replace(hour=1), day.replace(hour=5)) if spray else office_time(day)
        partner_host, partner_ip = RNG.choice(PARTNERS)
        ip = f"{PROBE_NET}.{RNG.randint(2, 250)}" if spray else partner_ip
        sid = f"08DC0A1B{s:08X}"
        port = RNG.randint(40000, 60000)
        steps = [("+", "", ""), ("<", f"EHLO {rand_word(6) + '.example' if spray else partner_host}", "")]
        steps += [("<", "AUTH LOGIN", ""), (">", "535 5.7.3 Authentication unsuccessful", "")] if spray else \
            [("<", f"MAIL FROM:<{rand_word(5)}@partner-logistics.example>", ""),
             ("<", f"RCPT TO:<{RNG.choice(USERS)}@{DOMAIN}>", ""), (">", "250 2.1.5 Recipient OK", "")]
        steps.append(("-", "", "Local"))
        for n, (ev, data, ctx) in enumerate(steps):
            tt = t + timedelta(milliseconds=20 * n)
            recv.add(tt, f"{utc(tt).isoformat(timespec='milliseconds').replace('+00:00', 'Z')},"
                         f"OWA\\Default Frontend OWA,{sid},{n},{OWA}:25,{ip}:{port},{ev},{data},{ctx}")
    recv.write(header=["#Software: Microsoft Exchange Server", "#Version: 15.0.0.0",
                       "#Log-type: SMTP Receive Protocol Log", "#Date: 2026-11-10T00:00:00.000Z",
                       "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,"
                       "event,data,context"], windows=True, bom=True)


def legacy_smtp():
    log = Log("legacy-smtp/ex261112.log")
    day = datetime(2026, 11, 12, tzinfo=BERLIN)
    reports = []  # (time, recipient, message id, size) of the reports app01 hands over, for the tracking log

    def add(t, ip, user, verb, query, status, sc=40, cs=20):
        log.add(t, f"{utc(t).strftime('%Y-%m-%d %H:%M:%S')} {ip} {user} SMTPSVC1 LEGACY-SMTP 10.10.0.40 0 {verb} - "
                   f"{query} {status} 0 {sc} {cs} 0 SMTP - - - -")

    for _ in range(40):
        t = office_time(day)
        ip = "10.10.0.50"
        add(t, ip, f"app01.{DOMAIN}", "EHLO", f"+app01.{DOMAIN}", 250)
        size = RNG.randint(900, 9000)
        add(t, ip, f"app01.{DOMAIN}", "MAIL", f"+FROM:<reports@{DOMAIN}>+SIZE={size}", 250)
        rcpt = f"{RNG.choice(USERS)}@{DOMAIN}"
        add(t, ip, f"app01.{DOMAIN}", "RCPT", f"+TO:<{rcpt}>", 250)
        mid = msgid('app01.' + DOMAIN)
        add(t + timedelta(seconds=1), ip, f"app01.{DOMAIN}", "DATA", f"<{mid}>", 250, 128, 4000)
        add(t + timedelta(seconds=1), ip, f"app01.{DOMAIN}", "QUIT", f"app01.{DOMAIN}", 240)
        reports.append((t + timedelta(seconds=1), rcpt, mid, size))
    for _ in range(15):
        t = rnd_time(day, day + timedelta(days=1))
        ip = f"{PROBE_NET}.{RNG.randint(2, 250)}"
        add(t, ip, "-", "EHLO", f"+{ip}", 250)
        add(t, ip, "-", "RCPT", f"+TO:<{rand_word()}@{spam_domain()}>", 550)
        add(t, ip, "-", "xxxx", "-", 500)
    log.write(header=["#Software: Microsoft Internet Information Services 6.0", "#Version: 1.0",
                      "#Date: 2026-11-12 00:00:00",
                      "#Fields: date time c-ip cs-username s-sitename s-computername s-ip s-port cs-method "
                      "cs-uri-stem cs-uri-query sc-status sc-win32-status sc-bytes cs-bytes time-taken cs-version "
                      "cs-host cs(User-Agent) cs(Cookie) cs(Referer)"], windows=True)
    legacy_tracking(reports)


def legacy_tracking(reports):
    """The Exchange 2003 message tracking log of the same server (Exchsrvr\\LEGACY-SMTP.log\\yyyymmdd.log): tab-separated,
    UTC, dates and times not zero-padded with a literal GMT; each report received over SMTP (1019), categorized (1033),
    then delivered to the recipient's mailbox (1028). Its own random numbers, so the other files do not change."""
    rng = random.Random(2003)
    log = Log("legacy-smtp/LEGACY-SMTP.log/20261112.log")

    def stamp(t):
        u = utc(t)
        return f"{u.year}-{u.month}-{u.day}", f"{u.hour}:{u.minute:02d}:{u.second:02d} GMT"

    for t, rcpt, mid, size in reports:
        date, time = stamp(t)
        origin = " ".join(stamp(t))
        common = [mid, "0", "0", str(size), "1", origin, "0", "Version: 6.0.3790.3959", "-",
                  rng.choice(["Daily sales report", "Stock levels", "Open orders"]), f"reports@{DOMAIN}", "-"]
        log.add(t, "\t".join([date, time, "10.10.0.50", f"app01.{DOMAIN}", "-", "LEGACY-SMTP", "10.10.0.40", rcpt,
                              "1019"] + common))
        for event, delay in (("1033", 1), ("1028", 2)):
            t2 = t + timedelta(seconds=delay)
            d2, tm2 = stamp(t2)
            log.add(t2, "\t".join([d2, tm2, "10.10.0.40", "LEGACY-SMTP", "-", "LEGACY-SMTP", "10.10.0.40", rcpt,
                                   event] + common))
    log.write(header=["# Message Tracking Log File", "# Exchange System Attendant Version 6.5.7638.1",
                      "# " + "\t".join(["Date", "Time", "client-ip", "Client-hostname", "Partner-Name",
                                        "Server-hostname", "server-IP", "Recipient-Address", "Event-ID", "MSGID",
                                        "Priority", "Recipient-Report-Status", "total-bytes", "Number-Recipients",
                                        "Origination-Time", "Encryption", "service-Version", "Linked-MSGID",
                                        "Message-Subject", "Sender-Address"])], windows=True)


def legacy_sendmail():
    log = Log("legacy-sendmail/maillog-20261116")
    pid = Pids(3000)
    for day in days():
        for _ in range(RNG.randint(5, 15)):
            t = office_time(day)
            p = pid()
            q = f"4A{day.day:02d}{RNG.randint(0, 999999):06d}{rand_word(4)}"
            rcpt = f"{RNG.choice(USERS)}@{DOMAIN}"
            log.add(t, f"{syslog_ts(t)} legacy-sendmail sm-mta[{p}]: {q}: from=<erp@legacy-sendmail.{DOMAIN}>, "
                       f"size={RNG.randint(800, 30000)}, class=0, nrcpts=1, msgid=<{msgid('legacy-sendmail.' + DOMAIN)}>, "
                       f"proto=ESMTP, daemon=MTA, relay=localhost [127.0.0.1]")
            t2 = t + timedelta(seconds=2)
            log.add(t2, f"{syslog_ts(t2)} legacy-sendmail sm-mta[{pid()}]: {q}: to=<{rcpt}>, delay=00:00:02, "
                        f"xdelay=00:00:01, mailer=relay, pri={RNG.randint(30000, 120000)}, relay=mx1.{DOMAIN}. "
                        f"[{MX1_DMZ}], dsn=2.0.0, stat=Sent (Ok: queued as {qid()})")
    for _ in range(12):
        t = rnd_time(WEEK_START, WEEK_START + timedelta(days=DAYS))
        ip = f"{PROBE_NET}.{RNG.randint(2, 250)}"
        q = f"4A{RNG.randint(0, 99999999):08d}{rand_word(4)}"
        victim = f"{rand_word()}@{spam_domain()}"
        log.add(t, f"{syslog_ts(t)} legacy-sendmail sm-mta[{pid()}]: {q}: ruleset=check_rcpt, arg1=<{victim}>, "
                   f"relay=[{ip}], reject=550 5.7.1 <{victim}>... Relaying denied")
    log.write()


def squid():
    log = Log("proxy/access.log-20261116")
    sites = ["http://news.example/", "http://weather.example/today", "http://intranet-cdn.example/lib.js"]
    for day in days():
        if day.weekday() >= 5:
            continue
        for _ in range(RNG.randint(150, 250)):
            t = office_time(day)
            client = f"10.10.5.{RNG.randint(30, 60)}"
            if RNG.random() < 0.6:
                host = RNG.choice(["www.mailbox-provider.example", "portal.bank-statements.example", "cdn.shop-a.example"])
                line = (f"{utc(t).timestamp():.3f} {RNG.randint(200, 90000):6d} {client} TCP_TUNNEL/200 "
                        f"{RNG.randint(3000, 900000)} CONNECT {host}:443 - HIER_DIRECT/{remote_mx(host)[1]} -")
            else:
                url = RNG.choice(sites)
                line = (f"{utc(t).timestamp():.3f} {RNG.randint(20, 900):6d} {client} "
                        f"{RNG.choice(['TCP_MISS/200', 'TCP_MEM_HIT/200', 'TCP_REFRESH_UNMODIFIED/304'])} "
                        f"{RNG.randint(300, 50000)} GET {url} - HIER_DIRECT/203.0.113.{RNG.randint(2, 90)} text/html")
            log.add(t, line)
    for _ in range(30):
        t = rnd_time(INFECTED_START, INFECTED_END)
        log.add(t, f"{utc(t).timestamp():.3f}      0 {INFECTED_HOST} TCP_DENIED/403 3900 CONNECT "
                   f"mx.{spam_domain()}:25 - HIER_NONE/- text/html")
    log.write()


def firewalls(tunnel_requests):
    asa = Log("asa/asa.log-20261116")
    fgt = Log("fortigate/fgt-traffic.log-20261116")
    pan = Log("paloalto/pan-traffic.csv-20261116")
    wfw = Log("ws-finance-07/pfirewall.log")
    kern = Log("mx1/kern.log-20261116")
    pfl = Log("branch-fw/filterlog-20261116")
    conn = [400000]

    def asa_pair(t, src, sport, dst, dport, nat, outbound=True, src_if="inside", dst_if="outside", proto="TCP"):
        conn[0] += RNG.randint(1, 50)
        c = conn[0]
        if outbound:
            asa.add(t, f"{syslog_ts(t)} asa01 %ASA-6-302013: Built outbound {proto} connection {c} for "
                       f"{dst_if}:{dst}/{dport} ({dst}/{dport}) to {src_if}:{src}/{sport} ({nat}/{sport})")
        else:
            asa.add(t, f"{syslog_ts(t)} asa01 %ASA-6-302013: Built inbound {proto} connection {c} for "
                       f"{src_if}:{src}/{sport} ({src}/{sport}) to {dst_if}:{dst}/{dport} ({nat}/{dport})")
        d = RNG.randint(1, 40)
        t2 = t + timedelta(seconds=d)
        asa.add(t2, f"{syslog_ts(t2)} asa01 %ASA-6-302014: Teardown {proto} connection {c} for "
                    f"{dst_if if outbound else src_if}:{dst if outbound else src}/{dport if outbound else sport} to "
                    f"{src_if if outbound else dst_if}:{src if outbound else dst}/{sport if outbound else dport} "
                    f"duration 0:00:{d:02d} bytes {RNG.randint(500, 90000)} TCP FINs")

    def fgt_line(t, src, sport, dst, dport, action="accept", service="SMTP"):
        epoch_ns = int(utc(t).timestamp()) * 1_000_000_000 + RNG.randint(0, 999_999_999)
        sent_b, rcvd_b = RNG.randint(500, 60000), RNG.randint(300, 5000)
        fgt.add(t, f'date={t.strftime("%Y-%m-%d")} time={t.strftime("%H:%M:%S")} devname="FGT-HQ" '
                   f'devid="FG100FTK00000001" eventtime={epoch_ns} tz="+0100" logid="0000000013" type="traffic" '
                   f'subtype="forward" level="notice" vd="root" srcip={src} srcport={sport} srcintf="lan" '
                   f'srcintfrole="lan" dstip={dst} dstport={dport} dstintf="wan1" dstintfrole="wan" proto=6 '
                   f'action="{action}" policyid={5 if action == "accept" else 0} policytype="policy" '
                   f'service="{service}" trandisp="snat" transip=198.51.100.30 transport={sport} duration='
                   f'{RNG.randint(1, 60)} sentbyte={sent_b} rcvdbyte={rcvd_b} sentpkt={RNG.randint(5, 60)} '
                   f'rcvdpkt={RNG.randint(4, 40)}')

    def pan_line(t, src, sport, dst, dport, app, action="allow", rule="allow-outbound"):
        ts = t.strftime("%Y/%m/%d %H:%M:%S")
        b_sent, b_rcvd = RNG.randint(400, 50000), RNG.randint(300, 8000)
        fields = ["1", ts, "012801012345", "TRAFFIC", "end" if action == "allow" else "drop", "2561", ts, src, dst,
                  "198.51.100.31", dst, rule, "", "", app, "vsys1", "trust", "untrust", "ethernet1/2", "ethernet1/1",
                  "log-fwd", ts, str(RNG.randint(10000, 99999)), "1", str(sport), str(dport), str(sport), str(dport),
                  "0x400000", "tcp", action, str(b_sent + b_rcvd), str(b_sent), str(b_rcvd), str(RNG.randint(6, 80)),
                  (t - timedelta(seconds=5)).strftime("%Y/%m/%d %H:%M:%S"), str(RNG.randint(0, 60)), "any", "",
                  str(RNG.getrandbits(40)), "0x0", "10.0.0.0-10.255.255.255", "Reserved", "", "6", "4", "tcp-fin"]
        pan.add(t, f"{syslog_ts(t)} pa-dc {','.join(fields)}")

    # normal outbound: mx1 delivering mail (NAT 198.51.100.25), LAN web browsing
    for day in days():
        for _ in range(RNG.randint(80, 140)):
            t = office_time(day)
            dst = f"203.0.113.{RNG.randint(100, 240)}"
            sp = RNG.randint(30000, 60000)
            asa_pair(t, MX1_DMZ, sp, dst, 25, MX1_PUBLIC, src_if="dmz")
            kern.add(t, f"{syslog_ts(t)} mx1 kernel: [{(t - WEEK_START).total_seconds() + 86400:.6f}] OUT-SMTP-ACCEPT: "
                        f"IN= OUT=eth0 SRC={MX1_DMZ} DST={dst} LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID={RNG.randint(1, 65000)} "
                        f"DF PROTO=TCP SPT={sp} DPT=25 WINDOW=64240 RES=0x00 SYN URGP=0")
        if day.weekday() < 5:
            for _ in range(RNG.randint(150, 250)):
                t = office_time(day)
                src = f"10.10.5.{RNG.randint(30, 60)}"
                dst = f"203.0.113.{RNG.randint(2, 90)}"
                sp = RNG.randint(49152, 65000)
                asa_pair(t, src, sp, dst, 443, "198.51.100.30")
                fgt_line(t, src, sp, dst, 443, service="HTTPS")
                if RNG.random() < 0.3:
                    pan_line(t, src, sp, dst, 443, "ssl")
        # internet noise against the perimeter
        for _ in range(RNG.randint(60, 120)):
            t = rnd_time(day, day + timedelta(days=1))
            ip = f"{RNG.randint(30, 220)}.{RNG.randint(0, 255)}.{RNG.randint(0, 255)}.{RNG.randint(1, 254)}"
            port = RNG.choice([22, 23, 445, 3389, 8080, 25, 1433])
            asa.add(t, f"{syslog_ts(t)} asa01 %ASA-4-106023: Deny tcp src outside:{ip}/{RNG.randint(1024, 65000)} "
                       f"dst dmz:{MX1_DMZ}/{port} by access-group \"outside_access_in\" [0x0, 0x0]")
            kern.add(t, f"{syslog_ts(t)} mx1 kernel: [{(t - WEEK_START).total_seconds() + 86400:.6f}] IPTABLES-DROP: "
                        f"IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC={ip} DST={MX1_PUBLIC} LEN=44 "
                        f"TOS=0x00 PREC=0x00 TTL={RNG.randint(30, 250)} ID={RNG.randint(1, 65000)} PROTO=TCP "
                        f"SPT={RNG.randint(1024, 65000)} DPT={port} WINDOW=1024 RES=0x00 SYN URGP=0")
            if RNG.random() < 0.4:
                pfl.add(t, f"{syslog_ts(t)} branch-fw filterlog[5123]: 5,,,1000000103,igb0,match,block,in,4,0x0,,"
                           f"{RNG.randint(30, 250)},{RNG.randint(1, 65000)},0,none,6,tcp,44,{ip},{BRANCH_MX},"
                           f"{RNG.randint(1024, 65000)},{port},0,S,{RNG.getrandbits(31)},,1024,,mss")
    # branch-fw passes the open-relay abusers to branch-mx:25
    for _ in range(600):
        t = rnd_time(OPEN_RELAY_START, OPEN_RELAY_END)
        ip = f"{RNG.choice(OPEN_RELAY_NETS)}.{RNG.randint(2, 254)}"
        pfl.add(t, f"{syslog_ts(t)} branch-fw filterlog[5123]: 70,,,1000000110,igb0,match,pass,in,4,0x0,,"
                   f"{RNG.randint(40, 64)},{RNG.randint(1, 65000)},0,DF,6,tcp,60,{ip},{BRANCH_MX},"
                   f"{RNG.randint(1024, 65000)},25,0,S,{RNG.getrandbits(31)},,64240,,mss;sackOK;TS;nop;wscale")
    # story 3 on the wire: www hands the tunnelled mail to mx1 (dmz to dmz through the ASA)
    for t, _ in tunnel_requests[::3]:
        asa_pair(t + timedelta(seconds=2), WWW_DMZ, RNG.randint(30000, 60000), MX1_DMZ, 25, WWW_DMZ, src_if="dmz",
                 dst_if="dmz")
    # story 4: the infected workstation talks SMTP straight to the internet
    for _ in range(700):
        t = rnd_time(INFECTED_START, INFECTED_END)
        dst = f"{RNG.randint(30, 220)}.{RNG.randint(0, 255)}.{RNG.randint(0, 255)}.{RNG.randint(1, 254)}"
        sp = RNG.randint(49152, 65000)
        asa_pair(t, INFECTED_HOST, sp, dst, 25, "198.51.100.30")
        fgt_line(t, INFECTED_HOST, sp, dst, 25)
        if RNG.random() < 0.5:
            pan_line(t, INFECTED_HOST, sp, dst, 25, "smtp")
        wfw.add(t, f"{t.strftime('%Y-%m-%d %H:%M:%S')} ALLOW TCP {INFECTED_HOST} {dst} {sp} 25 0 - 0 0 0 - - - SEND")
    for day in days():
        for _ in range(RNG.randint(20, 40)):
            t = rnd_time(day, day + timedelta(days=1))
            wfw.add(t, f"{t.strftime('%Y-%m-%d %H:%M:%S')} DROP UDP 10.10.5.{RNG.randint(2, 250)} 10.10.5.255 137 137 "
                       f"78 - - - - - - - RECEIVE")
            if RNG.random() < 0.5:
                wfw.add(t, f"{t.strftime('%Y-%m-%d %H:%M:%S')} ALLOW TCP {INFECTED_HOST} 10.10.0.30 "
                           f"{RNG.randint(49152, 65000)} 443 0 - 0 0 0 - - - SEND")
    asa.write()
    fgt.write()
    pan.write()
    kern.write()
    pfl.write()
    wfw.write(header=["#Version: 1.5", "#Software: Microsoft Windows Firewall", "#Time Format: Local",
                      "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn "
                      "tcpack tcpwin icmptype icmpcode info path"])


def main():
    zeek_sessions, relay_msgs, tunnel_requests = mx1_and_friends()
    zeek_smtp(zeek_sessions)
    branch_mx(relay_msgs)
    www_access(tunnel_requests)
    owa()
    legacy_smtp()
    legacy_sendmail()
    squid()
    firewalls(tunnel_requests)


if __name__ == "__main__":
    main()
