// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled policies loaded into kcage.  A blob from user space (netlink.c)
 * is checked by the hardened decoder (policy/decode.c) before anything
 * else looks at it; a policy that passes replaces any earlier one for the
 * same module.  A module with a policy is sandboxed when it loads, and its
 * sandbox takes a private copy (kcage_policy_copy()), so removing or
 * replacing a policy changes nothing for a module already loaded.
 */
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "rt/own.h"
#include "rt/kheap.h"
#include "policy.h"
#include "policy/kcp.h"

/**
 * struct kcage_policy - a loaded policy
 * @node: Entry in &policies; added, removed and walked under
 *        &policies_lock.
 * @blob: The checked bytes, in kcage's own memory (rt/own.c: no module
 *        may write them, whatever its policy), 8-byte aligned.  Written once,
 *        before the policy is installed; read under &policies_lock only.
 *        Freed with the policy when it is removed or replaced (under or
 *        after &policies_lock, once it is off the list).  Sandboxes never
 *        point into it: they take a copy (kcage_policy_copy()).
 * @view: The decoder's view into @blob; same rules.
 * @mode: &enum kcp_mode to run in: the blob's, unless the loader chose.
 *        Set before the policy is installed.
 *
 * Only process context (netlink, debugfs, the module notifier) touches
 * policies, so &policies_lock is a mutex.
 */
struct kcage_policy {
	struct list_head node;
	void *blob;
	struct kcp_view view;
	u8 mode;
};

static LIST_HEAD(policies);
static DEFINE_MUTEX(policies_lock);

static const char *module_of(const struct kcage_policy *p)
{
	lockdep_assert_held(&policies_lock);
	return kcp_str(&p->view, p->view.hdr->module);
}

static void free_policy(struct kcage_policy *p)
{
	kcage_own_free(p->blob);
	kcage_own_free(p);
}

static struct kcage_policy *find(const char *module)
{
	struct kcage_policy *p;

	lockdep_assert_held(&policies_lock);
	list_for_each_entry(p, &policies, node)
		if (!strcmp(module_of(p), module))
			return p;
	return NULL;
}

/* Install @p in place of the policy for the same module, if @replace. */
static int install(struct kcage_policy *p, bool replace)
{
	struct kcage_policy *old;

	might_sleep();
	mutex_lock(&policies_lock);
	old = find(module_of(p));
	if (old && !replace) {
		mutex_unlock(&policies_lock);
		return -EEXIST;
	}
	if (old) {
		list_del(&old->node);
		free_policy(old);
	}
	list_add_tail(&p->node, &policies);
	/* under the lock: once it is dropped, a replacement may free @p */
	pr_info_ratelimited("policy for %s loaded: mode=%s, %u bytes\n",
			    module_of(p), kcp_mode_name(p->mode), p->view.size);
	mutex_unlock(&policies_lock);
	return 0;
}

/*
 * A policy naming the kernel_heap region needs a kernel on which kcage
 * can tell slab caches apart (kheap.c); refuse it rather than enforce it
 * differently from what it says.
 */
static bool kheap_usable(const struct kcp_view *v, struct kcp_error *err)
{
	if (!(le32_to_cpu(v->hdr->builtin_writes) & KCP_BUILTIN_KERNEL_HEAP) ||
	    kcage_kheap_available())
		return true;
	err->code = -EOPNOTSUPP;
	err->what = "builtin";
	strscpy(err->msg, "the kernel_heap region is unavailable on this kernel (see dmesg)",
		sizeof(err->msg));
	return false;
}

/**
 * kcage_policy_load - check and install a compiled policy
 * @blob:    the bytes, kvmalloc'd; copied into kcage's own memory and freed
 * @len:     their size
 * @mode:    &enum kcp_mode to run in, or -1 for the one in the blob
 * @replace: replace a policy already loaded for the module (else -EEXIST)
 * @err:     the decoder's reason, when it refuses the blob
 *
 * Return: 0, the decoder's error, -EOPNOTSUPP (kernel_heap unavailable),
 * -EEXIST or -ENOMEM.
 */
int kcage_policy_load(void *blob, size_t len, int mode, bool replace,
		      struct kcp_error *err)
{
	struct kcage_policy *p;
	int ret;

	/* kcage's own copy: the caller's buffer is kernel heap */
	p = kcage_own_zalloc(sizeof(*p), GFP_KERNEL);
	if (p)
		p->blob = kcage_own_zalloc(len, GFP_KERNEL);
	if (!p || !p->blob) {
		kcage_own_free(p);
		kvfree(blob);
		return -ENOMEM;
	}
	memcpy(p->blob, blob, len);
	kvfree(blob);
	ret = kcp_decode(p->blob, len, &p->view, err);
	if (!ret && !kheap_usable(&p->view, err))
		ret = -EOPNOTSUPP;
	if (ret) {
		pr_warn_ratelimited("policy rejected: %s (%d)\n",
				    err->msg, ret);
		free_policy(p);
		return ret;
	}
	p->mode = mode < 0 ? p->view.hdr->mode : mode;
	ret = install(p, replace);
	if (ret)
		free_policy(p);
	return ret;
}

/* Remove the policy for @module: 0 or -ENOENT. */
int kcage_policy_remove(const char *module)
{
	struct kcage_policy *p;

	mutex_lock(&policies_lock);
	p = find(module);
	if (p)
		list_del(&p->node);
	mutex_unlock(&policies_lock);
	if (!p)
		return -ENOENT;
	pr_info_ratelimited("policy for %s removed\n", module);
	free_policy(p);
	return 0;
}

/* Is a policy loaded for @module? */
bool kcage_policy_exists(const char *module)
{
	bool found;

	mutex_lock(&policies_lock);
	found = find(module);
	mutex_unlock(&policies_lock);
	return found;
}

static void fill_info(const struct kcage_policy *p, struct kcage_policy_info *info)
{
	lockdep_assert_held(&policies_lock);
	strscpy(info->module, module_of(p), sizeof(info->module));
	info->mode = p->mode;
	info->size = p->view.size;
	info->crc = le32_to_cpu(p->view.hdr->checksum);
}

/**
 * kcage_policy_info - what the @index-th loaded policy is (0, 1, ...)
 * @index: which policy, in the order they were loaded
 * @info:  filled in
 *
 * Return: 0, or -ENOENT past the last one.
 */
int kcage_policy_info(unsigned int index, struct kcage_policy_info *info)
{
	const struct kcage_policy *p;
	int ret = -ENOENT;

	mutex_lock(&policies_lock);
	list_for_each_entry(p, &policies, node) {
		if (index--)
			continue;
		fill_info(p, info);
		ret = 0;
		break;
	}
	mutex_unlock(&policies_lock);
	return ret;
}

/**
 * kcage_policy_get - the policy for @module, with a copy of its bytes
 * @module: module name
 * @info:   filled in
 * @blob:   set to the copy (kvfree() it)
 *
 * Return: 0, -ENOENT or -ENOMEM.
 */
int kcage_policy_get(const char *module, struct kcage_policy_info *info,
		     void **blob)
{
	const struct kcage_policy *p;
	int ret = -ENOENT;

	mutex_lock(&policies_lock);
	p = find(module);
	if (p) {
		fill_info(p, info);
		*blob = kvmalloc(p->view.size, GFP_KERNEL);
		ret = *blob ? 0 : -ENOMEM;
		if (*blob)
			memcpy(*blob, p->blob, p->view.size);
	}
	mutex_unlock(&policies_lock);
	return ret;
}

unsigned int kcage_policy_count(void)
{
	const struct kcage_policy *p;
	unsigned int n = 0;

	mutex_lock(&policies_lock);
	list_for_each_entry(p, &policies, node)
		n++;
	mutex_unlock(&policies_lock);
	return n;
}

/* debugfs "policies": one line per loaded policy. */
int kcage_policy_show(struct seq_file *m, void *unused)
{
	const struct kcage_policy *p;

	mutex_lock(&policies_lock);
	list_for_each_entry(p, &policies, node) {
		const struct kcp_view *v = &p->view;

		seq_printf(m, "%s mode=%s default=%s calls=%u/%u entries=%u regions=%u allocators=%u frees=%u api=%u grants=%u privileged=%u\n",
			   module_of(p), kcp_mode_name(p->mode),
			   kcp_action_name(v->hdr->default_action),
			   v->nr_lists[KCP_LIST_CALL_ALLOW],
			   v->nr_lists[KCP_LIST_CALL_DENY],
			   v->nr_lists[KCP_LIST_ENTRY_ALLOW], v->nr_regions,
			   v->nr_allocs, v->nr_frees, v->nr_arg_rules,
			   v->nr_grants, v->nr_privs);
	}
	mutex_unlock(&policies_lock);
	return 0;
}

/**
 * kcage_policy_copy - a private copy of the policy loaded for @module
 * @module: module name
 * @blob:   set to the copy, in kcage's own memory (kcage_own_free() it), or
 *          NULL if there is no policy
 * @view:   filled with the decoder's view of the copy
 * @mode:   set to the mode to run in
 *
 * A sandbox keeps its own copy, taken when the module is sandboxed, so
 * the translator and the violation paths read it in any context, without
 * a lock, while policies are loaded and replaced.
 *
 * Return: 0 (with or without a policy) or -ENOMEM.
 */
int kcage_policy_copy(const char *module, void **blob, struct kcp_view *view,
		      u8 *mode)
{
	const struct kcage_policy *found;
	struct kcp_error err;
	int ret = 0;

	*blob = NULL;
	mutex_lock(&policies_lock);
	found = find(module);
	if (found) {
		*mode = found->mode;
		*blob = kcage_own_zalloc(found->view.size, GFP_KERNEL);
		if (*blob) {
			memcpy(*blob, found->blob, found->view.size);
			/* checked once already; cannot fail on the same bytes */
			ret = kcp_decode(*blob, found->view.size, view, &err);
		} else {
			ret = -ENOMEM;
		}
	}
	mutex_unlock(&policies_lock);
	if (ret) {
		kcage_own_free(*blob);
		*blob = NULL;
	}
	return ret;
}

/* At kcage's exit: netlink and debugfs, the only other users, are gone. */
void kcage_policy_exit(void)
{
	struct kcage_policy *p, *tmp;

	list_for_each_entry_safe(p, tmp, &policies, node) {
		list_del(&p->node);
		free_policy(p);
	}
}
