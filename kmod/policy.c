// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled policies loaded into kcage.  A blob from user space is copied
 * into kernel memory whole and checked by the hardened decoder
 * (policy/decode.c) before anything else looks at it; a policy that
 * passes replaces any earlier one for the same module.  For now blobs
 * arrive through debugfs ("policy", one write per blob); the netlink
 * family of a later issue will call the same kcage_policy_load().
 * Enforcement (a later issue) reads the policies from here.
 */
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "policy.h"
#include "policy/kcp.h"

/**
 * struct kcage_policy - a loaded policy
 * @node: entry in &policies
 * @blob: the checked bytes (kvmalloc'd, so 8-byte aligned)
 * @view: the decoder's view into @blob
 */
struct kcage_policy {
	struct list_head node;
	void *blob;
	struct kcp_view view;
};

static LIST_HEAD(policies);
static DEFINE_MUTEX(policies_lock);

static const char *module_of(const struct kcage_policy *p)
{
	return kcp_str(&p->view, p->view.hdr->module);
}

static void free_policy(struct kcage_policy *p)
{
	kvfree(p->blob);
	kfree(p);
}

/* Install @p, dropping the policy it replaces. */
static void install(struct kcage_policy *p)
{
	struct kcage_policy *old, *tmp;

	mutex_lock(&policies_lock);
	list_for_each_entry_safe(old, tmp, &policies, node) {
		if (strcmp(module_of(old), module_of(p)))
			continue;
		list_del(&old->node);
		free_policy(old);
	}
	list_add_tail(&p->node, &policies);
	mutex_unlock(&policies_lock);
}

/**
 * kcage_policy_load - check and install a compiled policy from user space
 * @ubuf: the blob
 * @len:  its size
 *
 * Return: 0, or the decoder's error (whose reason goes to the kernel log),
 * -EFAULT or -ENOMEM.
 */
int kcage_policy_load(const void __user *ubuf, size_t len)
{
	struct kcage_policy *p;
	struct kcp_error err;
	int ret;

	if (len > KCP_MAX_SIZE) {
		pr_warn("kcage: policy rejected: %zu bytes is larger than %u\n",
			len, KCP_MAX_SIZE);
		return -E2BIG;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->blob = kvmalloc(len ? len : 1, GFP_KERNEL);
	if (!p->blob) {
		kfree(p);
		return -ENOMEM;
	}
	if (copy_from_user(p->blob, ubuf, len)) {
		free_policy(p);
		return -EFAULT;
	}
	ret = kcp_decode(p->blob, len, &p->view, &err);
	if (ret) {
		pr_warn("kcage: policy rejected: %s (%d)\n", err.msg, ret);
		free_policy(p);
		return ret;
	}
	pr_info("kcage: policy for %s loaded: mode=%s, %u bytes\n", module_of(p),
		kcp_mode_name(p->view.hdr->mode), p->view.size);
	install(p);
	return 0;
}

/* debugfs "policies": one line per loaded policy. */
int kcage_policy_show(struct seq_file *m, void *unused)
{
	const struct kcage_policy *p;

	mutex_lock(&policies_lock);
	list_for_each_entry(p, &policies, node) {
		const struct kcp_view *v = &p->view;

		seq_printf(m, "%s mode=%s default=%s calls=%u/%u entries=%u regions=%u allocators=%u frees=%u api=%u grants=%u privileged=%u\n",
			   module_of(p), kcp_mode_name(v->hdr->mode),
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
 * @blob:   set to the copy (kvfree() it), or NULL if there is no policy
 * @view:   filled with the decoder's view of the copy
 *
 * A sandbox keeps its own copy, taken when the module is sandboxed, so
 * the translator and the violation paths read it in any context, without
 * a lock, while policies are loaded and replaced.
 *
 * Return: 0 (with or without a policy) or -ENOMEM.
 */
int kcage_policy_copy(const char *module, void **blob, struct kcp_view *view)
{
	const struct kcage_policy *p, *found = NULL;
	struct kcp_error err;
	int ret = 0;

	*blob = NULL;
	mutex_lock(&policies_lock);
	list_for_each_entry(p, &policies, node)
		if (!strcmp(module_of(p), module))
			found = p;
	if (found) {
		*blob = kvmalloc(found->view.size, GFP_KERNEL);
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
		kvfree(*blob);
		*blob = NULL;
	}
	return ret;
}

void kcage_policy_exit(void)
{
	struct kcage_policy *p, *tmp;

	list_for_each_entry_safe(p, tmp, &policies, node) {
		list_del(&p->node);
		free_policy(p);
	}
}
