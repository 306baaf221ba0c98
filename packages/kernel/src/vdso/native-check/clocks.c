// Calls every clock function the vDSO serves, through the C library.
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void) {
  struct timespec ts, res;
  struct timeval tv;
  int a = clock_gettime(CLOCK_MONOTONIC, &ts);
  int b = gettimeofday(&tv, 0);
  int c = clock_getres(CLOCK_REALTIME, &res);
  time_t t = time(0);
  printf("clock_gettime %d, gettimeofday %d, clock_getres %d (%ld ns), time %ld, cpu %d\n", a, b, c, res.tv_nsec, (long)t,
         sched_getcpu());
  return 0;
}
