/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event counters kept per CPU (incremented where the event happens, with
 * no shared cache line) and summed when debugfs asks.
 */
#ifndef KCAGE_COUNTER_H
#define KCAGE_COUNTER_H

#include <linux/compiler.h>
#include <linux/percpu.h>

/* @counter over all CPUs; a racy read, as statistics are. */
static inline unsigned long kcage_counter_sum(unsigned long __percpu *counter)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(counter, cpu));
	return sum;
}

#endif /* KCAGE_COUNTER_H */
