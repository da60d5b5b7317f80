// Read a stream of server-sent events: the participant's app imports it (follow.js), and the
// projector's component is made with it before projector.js (ui/components/projector.py).
export async function readEvents(url, headers, signal, received) {
  // Each "data: {json}" block of the stream at `url`, parsed, to `received`, for as long as
  // the stream lasts (true); false when none could be opened.
  const reply = await fetch(url, { headers, cache: "no-store", signal });
  if (!reply.ok || !reply.body || !(reply.headers.get("Content-Type") || "").startsWith("text/event-stream")) {
    return false;
  }
  const reader = reply.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return true;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const line = block.split("\n").find((l) => l.startsWith("data: "));
      if (line) received(JSON.parse(line.slice(6)));
    }
  }
}
