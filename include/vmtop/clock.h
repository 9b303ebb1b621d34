/* clock: the three clocks vmtop reads, in the units its callers use.
 *
 * Wall time stamps what was read (JSON "time", vmmap.time); the monotonic
 * clock schedules refreshes; a thread's CPU time measures what a refresh
 * cost us, kernel work for /proc text included (the kernel charges the
 * generation of maps and smaps to the reader). */
#ifndef VMTOP_CLOCK_H
#define VMTOP_CLOCK_H

/* CLOCK_REALTIME in seconds since the epoch. */
double clock_realtime_s(void);

/* CLOCK_MONOTONIC in milliseconds. */
long clock_monotonic_ms(void);

/* CLOCK_THREAD_CPUTIME_ID of the calling thread in milliseconds. */
double clock_thread_cpu_ms(void);

#endif
