// Runs differential test cases natively and reports the machine state they end in.
//
// Protocol: stdin carries `struct case_input` records, stdout receives one `struct case_output`
// per input (both little-endian, fixed size; diff/native-harness.ts has the same layout).
//
// How a case runs: the harness raises SIGUSR1; its handler saves the harness's own context and
// rewrites the signal frame with the case's registers, flags, MXCSR and XMM registers and RIP at
// the code page. Returning from the handler (sigreturn) loads all of it at once, so no register
// needs to be set by hand-written assembly. The code ends with int3; that trap, or any fault
// before it (SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGTRAP, or SIGALRM if a case hangs), lands in the exit
// handler, which records the state from the frame (including the vector, error code and address
// of a fault) and rewrites the frame with the saved harness context, so sigreturn resumes the
// harness right after raise(). Handlers run on an alternate stack: the case's RSP is arbitrary.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE 4096
#define CODE_BASE 0x10000000UL
#define DATA_BASE 0x20000000UL
#define STACK_BASE 0x30000000UL
#define MAX_CODE 64

struct case_input {
  uint64_t gpr[16]; /* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
  uint64_t rflags;
  uint32_t mxcsr;
  uint32_t code_length;
  uint8_t xmm[256];
  uint8_t code[MAX_CODE];
  uint8_t data[PAGE];
  uint8_t stack[PAGE];
  uint8_t x87[160]; /* FXSAVE bytes 0-159: FCW FSW FTW ... ST0-ST7 (MXCSR comes from .mxcsr) */
};

struct case_output {
  uint64_t gpr[16];
  uint64_t rip;
  uint64_t rflags;
  uint32_t mxcsr;
  int32_t signal; /* SIGTRAP at the end marker, or the fault's signal */
  uint64_t trapno;
  uint64_t error_code;
  uint64_t fault_address;
  uint8_t xmm[256];
  uint8_t data[PAGE];
  uint8_t stack[PAGE];
  uint8_t x87[160];
};

static const int GREG[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                             REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

static struct case_input in;
static struct case_output out;
static greg_t harness_gregs[NGREG];
static struct _libc_fpstate harness_fpu;
static volatile sig_atomic_t running;
static uint8_t *code_writable;

static void die(const char *what) {
  fprintf(stderr, "harness: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void enter_case(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)info;
  ucontext_t *uc = context;
  memcpy(harness_gregs, uc->uc_mcontext.gregs, sizeof harness_gregs);
  memcpy(&harness_fpu, uc->uc_mcontext.fpregs, sizeof harness_fpu);
  for (int i = 0; i < 16; i++) uc->uc_mcontext.gregs[GREG[i]] = (greg_t)in.gpr[i];
  uc->uc_mcontext.gregs[REG_RIP] = (greg_t)CODE_BASE;
  uc->uc_mcontext.gregs[REG_EFL] = (greg_t)in.rflags;
  memcpy(uc->uc_mcontext.fpregs, in.x87, 24);
  memcpy((uint8_t *)uc->uc_mcontext.fpregs + 32, in.x87 + 32, 128);
  uc->uc_mcontext.fpregs->mxcsr = in.mxcsr;
  memcpy(uc->uc_mcontext.fpregs->_xmm, in.xmm, sizeof in.xmm);
  running = 1;
}

static void leave_case(int sig, siginfo_t *info, void *context) {
  ucontext_t *uc = context;
  if (!running) {
    if (sig == SIGALRM) return;
    static const char msg[] = "harness: fault outside a case\n";
    write(2, msg, sizeof msg - 1);
    _exit(3);
  }
  running = 0;
  for (int i = 0; i < 16; i++) out.gpr[i] = (uint64_t)uc->uc_mcontext.gregs[GREG[i]];
  out.rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
  out.rflags = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
  out.trapno = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
  out.error_code = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
  out.fault_address = sig == SIGSEGV || sig == SIGBUS ? (uint64_t)info->si_addr : 0;
  out.signal = sig;
  out.mxcsr = uc->uc_mcontext.fpregs->mxcsr;
  memcpy(out.xmm, uc->uc_mcontext.fpregs->_xmm, sizeof out.xmm);
  memcpy(out.x87, uc->uc_mcontext.fpregs, sizeof out.x87);
  memcpy(uc->uc_mcontext.gregs, harness_gregs, sizeof harness_gregs);
  memcpy(uc->uc_mcontext.fpregs, &harness_fpu, sizeof harness_fpu);
}

static void *map_fixed(uintptr_t address, int prot, int flags, int fd) {
  void *p = mmap((void *)address, PAGE, prot, flags | MAP_FIXED_NOREPLACE, fd, 0);
  if (p != (void *)address) die("mmap at a fixed address");
  return p;
}

static void on(int sig, void (*handler)(int, siginfo_t *, void *)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, NULL) != 0) die("sigaction");
}

int main(void) {
  int fd = memfd_create("nanots-diff-code", 0);
  if (fd < 0 || ftruncate(fd, PAGE) != 0) die("memfd");
  map_fixed(CODE_BASE, PROT_READ | PROT_EXEC, MAP_SHARED, fd);
  code_writable = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (code_writable == MAP_FAILED) die("mmap code alias");
  uint8_t *data = map_fixed(DATA_BASE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
  uint8_t *stack = map_fixed(STACK_BASE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);

  stack_t alt = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16, .ss_flags = 0};
  if (!alt.ss_sp || sigaltstack(&alt, NULL) != 0) die("sigaltstack");
  on(SIGUSR1, enter_case);
  int exits[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGALRM};
  for (size_t i = 0; i < sizeof exits / sizeof exits[0]; i++) on(exits[i], leave_case);

  static char outbuf[1 << 20];
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  while (fread(&in, sizeof in, 1, stdin) == 1) {
    if (in.code_length > MAX_CODE - 1) {
      fprintf(stderr, "harness: code too long (%u bytes)\n", in.code_length);
      return 2;
    }
    memset(code_writable, 0, MAX_CODE * 2);
    memcpy(code_writable, in.code, in.code_length);
    code_writable[in.code_length] = 0xcc; /* the end marker: int3 */
    memcpy(data, in.data, PAGE);
    memcpy(stack, in.stack, PAGE);
    memset(&out, 0, sizeof out);
    alarm(2);
    raise(SIGUSR1);
    alarm(0);
    if (running) {
      fprintf(stderr, "harness: the case never started\n");
      return 2;
    }
    memcpy(out.data, data, PAGE);
    memcpy(out.stack, stack, PAGE);
    if (fwrite(&out, sizeof out, 1, stdout) != 1) die("write");
  }
  return 0;
}
