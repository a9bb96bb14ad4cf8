// SPDX-License-Identifier: GPL-2.0
/*
 * Dual mappings of one memfd near the test binary (see xmem.h).
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>
#include "xmem.h"

#define GIB (1ull << 30)

/* Map @fd at exactly @addr, or fail: never clobber an existing mapping. */
static void *map_at(uintptr_t addr, size_t size, int prot, int fd)
{
	void *p = mmap((void *)addr, size, prot, MAP_SHARED | MAP_FIXED_NOREPLACE,
		       fd, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (p != (void *)addr) {	/* a kernel that took it as a hint */
		munmap(p, size);
		return NULL;
	}
	return p;
}

/*
 * Candidate places, 2 MiB aligned, within 1 GiB of @near: first below it
 * (below a PIE binary the address space is free), then above, past the
 * start of the heap that follows the binary.
 */
static uintptr_t candidate(uintptr_t near, int i)
{
	uintptr_t off = (uintptr_t)(i / 2 + 1) * (64ull << 20);
	uintptr_t base = near & ~((2ull << 20) - 1);

	if (i & 1)
		return base + (256ull << 20) + off;
	return base > off + (16ull << 20) ? base - off : 0;
}

static int within_gib(uintptr_t a, size_t size, uintptr_t near)
{
	int64_t lo = (int64_t)(a - near), hi = (int64_t)(a + size - near);

	return lo > -(int64_t)GIB && hi < (int64_t)GIB;
}

/**
 * xmem_map_near - map @size bytes twice, the executable view within 1 GiB
 * of @near (the writable one anywhere: nothing executes there)
 * @m:    filled on success
 * @size: a multiple of the page size
 * @near: an address the code must reach with rel32 branches
 *
 * Return: 0, or -1 if no free place was found.
 */
int xmem_map_near(struct xmem *m, size_t size, const void *near)
{
	int fd = memfd_create("kcage-cache", MFD_CLOEXEC);
	int i;

	m->size = size;
	m->rx = m->rw = NULL;
	if (fd < 0)
		return -1;
	if (ftruncate(fd, size))
		goto out;
	for (i = 0; i < 24 && !m->rx; i++) {
		uintptr_t a = candidate((uintptr_t)near, i);

		if (a && within_gib(a, size, (uintptr_t)near))
			m->rx = map_at(a, size, PROT_READ | PROT_EXEC, fd);
	}
	m->rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m->rw == MAP_FAILED)
		m->rw = NULL;
out:
	close(fd);
	if (m->rx && m->rw)
		return 0;
	xmem_unmap(m);
	return -1;
}

void xmem_unmap(struct xmem *m)
{
	if (m->rx)
		munmap(m->rx, m->size);
	if (m->rw)
		munmap(m->rw, m->size);
	m->rx = m->rw = NULL;
}
