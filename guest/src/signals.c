/* signals: a SIGSEGV handler with SA_SIGINFO sees si_addr and leaves by siglongjmp; raise() runs a
 * SIGUSR1 handler and returns through rt_sigreturn with the SSE state intact. */
#include <signal.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
static sigjmp_buf env;
static volatile int got;
static void on_segv(int sig, siginfo_t *info, void *uc) { (void)uc; got = sig; printf("caught %d at %p\n", sig, info->si_addr); siglongjmp(env, 1); }
static void on_usr1(int sig) { got = sig; }
int main(void) {
  struct sigaction sa; memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv; sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, 0);
  if (sigsetjmp(env, 1) == 0) { *(volatile int *)16 = 1; printf("no fault?\n"); }
  printf("after longjmp, got %d\n", got);
  signal(SIGUSR1, on_usr1);
  got = 0; raise(SIGUSR1);
  printf("raise delivered %d\n", got);
  double x = 1.5; volatile double y = x * 3;
  printf("sse state kept: %.2f\n", y);
  return 0;
}
