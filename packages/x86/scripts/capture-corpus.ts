// Regenerates test/corpus/*.txt.gz from real binaries with GNU objdump, so CI needs no objdump.
// Usage: npx tsx scripts/capture-corpus.ts [name=path ...]
// Default set: glibc's libc.so.6, a static glibc program (gcc), a static musl program
// (musl-gcc, from apt's musl-tools), a Go program (golang-go, CGO_ENABLED=0), /usr/bin/ls and
// /usr/bin/bash.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const defaults: Record<string, string> = {
  "libc-so": "/lib/x86_64-linux-gnu/libc.so.6",
  "static-glibc-hello": "/tmp/hello-static",
  "static-musl-hello": "/tmp/hello-musl",
  "go-hello": "/tmp/hello-go/hello",
  ls: "/usr/bin/ls",
  bash: "/usr/bin/bash",
};
const pairs = process.argv.slice(2).map((a) => a.split("=") as [string, string]);
const targets = pairs.length > 0 ? Object.fromEntries(pairs) : defaults;
if (pairs.length === 0) {
  writeFileSync("/tmp/hello.c", '#include <stdio.h>\nint main(void){puts("hi");return 0;}\n');
  execFileSync("gcc", ["-O2", "-static", "-o", "/tmp/hello-static", "/tmp/hello.c"]);
  execFileSync("musl-gcc", ["-O2", "-static", "-o", "/tmp/hello-musl", "/tmp/hello.c"]);
  mkdirSync("/tmp/hello-go", { recursive: true });
  writeFileSync("/tmp/hello-go/go.mod", "module hello\n\ngo 1.19\n");
  writeFileSync("/tmp/hello-go/main.go", 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n');
  execFileSync("go", ["build", "-o", "hello", "."], { cwd: "/tmp/hello-go", env: { ...process.env, CGO_ENABLED: "0" } });
}
// Intel syntax for every binary; AT&T (objdump's default) for the smaller ones, as NAME.att.
const jobs: [string, string, string[]][] = [];
for (const [name, path] of Object.entries(targets)) {
  jobs.push([name, path, ["-M", "intel"]]);
  if (name !== "libc-so" && name !== "bash" && name !== "go-hello") jobs.push([`${name}.att`, path, []]);
}
for (const [name, path, syntax] of jobs) {
  const text = execFileSync("objdump", ["-d", "-w", ...syntax, path], { encoding: "utf8", maxBuffer: 1 << 30 });
  const out: string[] = [`# objdump -d -w ${syntax.join(" ")} ${path}`];
  for (const line of text.split("\n")) {
    const section = /^Disassembly of section (\S+):$/.exec(line);
    if (section) {
      out.push(`S ${section[1]}`);
      continue;
    }
    const m = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*(?:\t(.*))?$/.exec(line);
    if (m) out.push(`${m[1]}\t${m[2]!.replace(/ /g, "")}\t${m[3] ?? ""}`);
  }
  writeFileSync(new URL(`../test/corpus/${name}.txt.gz`, import.meta.url), gzipSync(out.join("\n") + "\n", { level: 9 }));
  console.log(name, out.length, "lines");
}
