#!/usr/bin/env python3
"""A minimal ESMTP sink for bench/faults.sh (Python 3.11 stdlib, asyncio).

Listens on 127.0.0.1:PORT and accepts every message. Each accepted delivery (the
"250" after the end of DATA has been written to the client) appends the message's
Message-ID header, one line per delivery, to --record, so the caller can count
deliveries and duplicates.

Modes:
  (default)        answer at once
  --delay SECONDS  sleep this long before answering the end of DATA with 250
  --silent         accept TCP connections and never send anything (no greeting)

Commands understood: EHLO, HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT (VRFY answers 252,
anything else 502).

  smtp_sink.py --port 2525 --record /tmp/ids.txt [--delay 0.5 | --silent] [--ready FILE]
"""

import argparse
import asyncio
import os
import signal


def message_id(header_lines):
    """The Message-ID of a message, from its header lines (unfolded), or '(none)'."""
    current = None
    fields = []
    for line in header_lines:
        if line[:1] in (" ", "\t") and current is not None:
            current += " " + line.strip()
            fields[-1] = current
            continue
        current = line
        fields.append(current)
    for field in fields:
        name, _, value = field.partition(":")
        if name.strip().lower() == "message-id":
            return value.strip() or "(empty)"
    return "(none)"


class Sink:
    def __init__(self, record, delay, silent):
        self.record = open(record, "a", buffering=1, encoding="utf-8")
        self.delay = delay
        self.silent = silent
        self.connections = 0

    def deliver(self, mid):
        self.record.write(mid + "\n")
        self.record.flush()

    async def handle(self, reader, writer):
        self.connections += 1
        try:
            if self.silent:
                # Hold the connection open; read and discard whatever comes.
                while await reader.read(65536):
                    pass
                return
            await self.session(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    async def session(self, reader, writer):
        async def say(text):
            writer.write(text.encode("utf-8"))
            await writer.drain()

        await say("220 faults-sink ESMTP ready\r\n")
        sender = None
        recipients = []
        while True:
            raw = await reader.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                await say("250-faults-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n")
                sender, recipients = None, []
            elif verb == "HELO":
                await say("250 faults-sink\r\n")
                sender, recipients = None, []
            elif verb == "MAIL":
                sender, recipients = line, []
                await say("250 2.1.0 OK\r\n")
            elif verb == "RCPT":
                if sender is None:
                    await say("503 5.5.1 MAIL first\r\n")
                else:
                    recipients.append(line)
                    await say("250 2.1.5 OK\r\n")
            elif verb == "DATA":
                if sender is None or not recipients:
                    await say("503 5.5.1 MAIL and RCPT first\r\n")
                    continue
                await say("354 End data with <CR><LF>.<CR><LF>\r\n")
                headers, in_headers = [], True
                while True:
                    raw = await reader.readline()
                    if not raw:
                        return  # the client went away mid-message: nothing delivered
                    text = raw.decode("utf-8", "replace").rstrip("\r\n")
                    if text == ".":
                        break
                    if in_headers:
                        if text == "":
                            in_headers = False
                        else:
                            headers.append(text[1:] if text.startswith("..") else text)
                mid = message_id(headers)
                if self.delay > 0:
                    await asyncio.sleep(self.delay)
                await say("250 2.0.0 OK queued\r\n")
                # Counted only once the client has been told it was accepted.
                self.deliver(mid)
                sender, recipients = None, []
            elif verb == "RSET":
                sender, recipients = None, []
                await say("250 2.0.0 OK\r\n")
            elif verb == "NOOP":
                await say("250 2.0.0 OK\r\n")
            elif verb == "VRFY":
                await say("252 2.1.5 Cannot VRFY user\r\n")
            elif verb == "QUIT":
                await say("221 2.0.0 Bye\r\n")
                return
            else:
                await say("502 5.5.2 Command not implemented\r\n")


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record", required=True, help="file to append one Message-ID per delivery to")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before the 250 after DATA")
    parser.add_argument("--silent", action="store_true", help="accept connections, never answer")
    parser.add_argument("--ready", help="file written once the port is listening")
    args = parser.parse_args()

    sink = Sink(args.record, args.delay, args.silent)
    server = await asyncio.start_server(sink.handle, "127.0.0.1", args.port, reuse_address=True, limit=1 << 20)
    if args.ready:
        with open(args.ready + ".tmp", "w") as f:
            f.write(str(os.getpid()) + "\n")
        os.replace(args.ready + ".tmp", args.ready)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    sink.record.close()
    # Connections still open (a silent sink holds them) are simply dropped.
    os._exit(0)


if __name__ == "__main__":
    asyncio.run(main())
