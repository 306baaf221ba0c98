/* threads: 8 pthreads contending on a mutex, meeting at a barrier, then taking turns in order
 * through a condition variable; joined with their results. Prints the totals. */
#include <pthread.h>
#include <stdio.h>
#define N 8
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t b;
static long counter, turns;
static void *work(void *arg) {
  long id = (long)arg;
  for (int i = 0; i < 2000; i++) { pthread_mutex_lock(&m); counter += id; pthread_mutex_unlock(&m); }
  pthread_barrier_wait(&b);
  pthread_mutex_lock(&m);
  while (turns != id) pthread_cond_wait(&c, &m);
  turns++;
  pthread_cond_broadcast(&c);
  pthread_mutex_unlock(&m);
  return (void *)(id * 10);
}
int main(void) {
  pthread_t t[N]; long sum = 0;
  pthread_barrier_init(&b, 0, N);
  for (long i = 0; i < N; i++) pthread_create(&t[i], 0, work, (void *)i);
  for (int i = 0; i < N; i++) { void *r; pthread_join(t[i], &r); sum += (long)r; }
  printf("counter %ld turns %ld sum %ld\n", counter, turns, sum);
  return 0;
}
