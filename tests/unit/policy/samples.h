/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sample policies for the codec's tests, its fuzz seeds and its fuzzer:
 * one using every part of the model, and a minimal one.
 */
#ifndef KCP_SAMPLES_H
#define KCP_SAMPLES_H

#include "kcp.h"

#define NR_SAMPLES 2

void sample_policy(int i, struct kcp_policy *p);
/* Encode sample @i into a fresh 8-aligned buffer; its size in *@n. */
void *sample_blob(int i, long *n);
/* Recompute a blob's checksum after a deliberate change. */
void reseal(void *blob, long n);
/* Read every byte of every name and record a decoded view points at. */
unsigned long walk_view(const struct kcp_view *v);

#endif /* KCP_SAMPLES_H */
