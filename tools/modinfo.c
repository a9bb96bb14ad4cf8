// SPDX-License-Identifier: GPL-2.0
/*
 * A module's name, as the kernel will call it: the "name=" entry of the
 * .ko's .modinfo section (modpost writes it from KBUILD_MODNAME), so that
 * "kcage load ./drivers/foo-bar.ko" finds the policy for foo_bar.  The
 * file is untrusted input: every offset and size is checked against it.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "kcage.h"

struct image {
	const unsigned char *p;
	size_t size;
};

/* [off, off + len) lies inside the file. */
static bool inside(const struct image *im, uint64_t off, uint64_t len)
{
	return off <= im->size && len <= im->size - off;
}

static const Elf64_Shdr *section_headers(const struct image *im)
{
	const Elf64_Ehdr *eh = (const void *)im->p;

	if (im->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shstrndx >= eh->e_shnum ||
	    !inside(im, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)) ||
	    eh->e_shoff % 8)
		return NULL;
	return (const void *)(im->p + eh->e_shoff);
}

/* The section called @name, or NULL. */
static const Elf64_Shdr *find_section(const struct image *im, const char *name)
{
	const Elf64_Ehdr *eh = (const void *)im->p;
	const Elf64_Shdr *sh = section_headers(im), *strtab;
	size_t len = strlen(name) + 1;
	unsigned int i;

	if (!sh)
		return NULL;
	strtab = &sh[eh->e_shstrndx];
	if (!inside(im, strtab->sh_offset, strtab->sh_size))
		return NULL;
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_name >= strtab->sh_size ||
		    strtab->sh_size - sh[i].sh_name < len)
			continue;
		if (!memcmp(im->p + strtab->sh_offset + sh[i].sh_name, name, len))
			return &sh[i];
	}
	return NULL;
}

/* .modinfo is "key=value" strings, NUL-separated (with NUL padding). */
static int name_in_modinfo(const struct image *im, char *name, size_t len)
{
	const Elf64_Shdr *sh = find_section(im, ".modinfo");
	const char *p, *end, *nul;

	if (!sh || sh->sh_type == SHT_NOBITS ||
	    !inside(im, sh->sh_offset, sh->sh_size))
		return -ENOENT;
	p = (const char *)im->p + sh->sh_offset;
	end = p + sh->sh_size;
	for (; p < end; p = nul + 1) {
		nul = memchr(p, '\0', end - p);
		if (!nul)
			break;
		if (strncmp(p, "name=", 5))
			continue;
		p += 5;
		if (nul == p || (size_t)(nul - p) >= len)
			return -EINVAL;
		memcpy(name, p, nul - p + 1);
		return 0;
	}
	return -ENOENT;
}

/* "dir/foo-bar.ko" -> "foo_bar", as KBUILD_MODNAME would be. */
static int name_from_path(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;
	char *c;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 3 && !strcmp(base + n - 3, ".ko"))
		n -= 3;
	if (!n || n >= len)
		return -EINVAL;
	memcpy(name, base, n);
	name[n] = '\0';
	for (c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	return 0;
}

/* The magic numbers of what modules are compressed with. */
static const char *compression(const struct image *im)
{
	if (im->size >= 6 && !memcmp(im->p, "\xfd" "7zXZ\0", 6))
		return "xz";
	if (im->size >= 4 && !memcmp(im->p, "\x28\xb5\x2f\xfd", 4))
		return "zstd";
	if (im->size >= 2 && !memcmp(im->p, "\x1f\x8b", 2))
		return "gzip";
	return NULL;
}

/*
 * The name of the module in @fd (@path, for messages and the fallback):
 * from .modinfo, or from the file name if the file has none.  Prints
 * what is wrong and returns an exit status.
 */
int modinfo_name(int fd, const char *path, char *name, size_t len)
{
	struct image im = { 0 };
	const char *z = NULL;
	struct stat st;
	void *map = MAP_FAILED;
	int ret;

	if (fstat(fd, &st))
		return fail("cannot stat '%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail("%s is not a regular file", path);
	if (st.st_size > 0)
		map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map != MAP_FAILED) {
		im.p = map;
		im.size = st.st_size;
		z = compression(&im);
	}
	ret = map == MAP_FAILED ? -ENOENT : name_in_modinfo(&im, name, len);
	if (map != MAP_FAILED)
		munmap(map, st.st_size);
	if (z)
		return fail("%s is compressed (%s): decompress it first", path, z);
	if (ret == -EINVAL)
		return fail("%s: the module name in .modinfo is empty or too long", path);
	if (ret && name_from_path(path, name, len))
		return fail("cannot tell the module name of '%s'", path);
	return EXIT_OK;
}
