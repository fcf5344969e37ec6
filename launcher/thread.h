/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device threads of lhv-run (disk and tap I/O): they take no signals, so
 * SIGUSR1, SIGINT, SIGTERM and the kick signal stay with the threads that
 * handle them (machine.c).
 */
#ifndef _LHV_THREAD_H
#define _LHV_THREAD_H

#include <pthread.h>

/* pthread_create() with every signal blocked in the new thread. */
int lhv_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif /* _LHV_THREAD_H */
