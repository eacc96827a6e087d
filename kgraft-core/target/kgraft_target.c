// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft_target: a call chain to patch, driven from user space through
 * /dev/kgraft_target. Each link records its version (1 here, 2 in
 * kgraft_patch_target.ko) and calls the next one, so one call tells whether
 * it ran a mixed set of old and new code. Optionally a kthread loops
 * through the chain, napping between passes (loop_kthread=1), and busy
 * kthreads loop through it without ever sleeping (busy_kthreads=N): the
 * kernel threads a transition has to catch while they run. A kthread with
 * no safe point (nosafe_kthread=1) waits and asks whether to stop only one
 * call below its main function, so kGraft's 2014 model never finds it at
 * the top of its loop.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <kgraft_target_chain.h>

#define KGRAFT_TARGET_VERSION 1
#define KGRAFT_TARGET_MAX_SLEEP_MS 60000
#define KGRAFT_TARGET_MAX_BENCH_LOOPS 100000000ULL
#define KGRAFT_TARGET_MAX_BUSY 64
#define KGRAFT_TARGET_MAX_OBJECTS 1000000

static bool loop_kthread;
module_param(loop_kthread, bool, 0444);
MODULE_PARM_DESC(loop_kthread, "start a kthread that loops through the chain");

static unsigned int busy_kthreads;
module_param(busy_kthreads, uint, 0444);
MODULE_PARM_DESC(busy_kthreads,
		 "kthreads that loop through the chain without sleeping (0-64)");

static bool nosafe_kthread;
module_param(nosafe_kthread, bool, 0444);
MODULE_PARM_DESC(nosafe_kthread,
		 "start a kthread that never reaches its main loop's top (tests)");

/*
 * Chains that are consistent besides "every link one version": the state
 * a cumulative patch leaves when it drops a link (3331: links 1-3 in
 * version 3, link 4 back to 1). Up to KGRAFT_TARGET_MAX_CHAINS, written as
 * "3331,2221"; each packed a byte per link. Set while no call runs.
 */
#define KGRAFT_TARGET_MAX_CHAINS 8
static u32 kgraft_target_chains[KGRAFT_TARGET_MAX_CHAINS];
static unsigned int kgraft_target_nr_chains;
static char kgraft_target_chains_str[KGRAFT_TARGET_MAX_CHAINS * 5 + 1];
static DEFINE_MUTEX(kgraft_target_chains_mutex);

static int kgraft_target_chains_set(const char *val,
				    const struct kernel_param *kp)
{
	u32 chains[KGRAFT_TARGET_MAX_CHAINS];
	unsigned int n = 0, i;
	const char *c = val;
	size_t len = strcspn(val, "\n");

	if (len >= sizeof(kgraft_target_chains_str))
		return -EINVAL;
	while (c < val + len) {
		if (n == KGRAFT_TARGET_MAX_CHAINS)
			return -EINVAL;
		chains[n] = 0;
		for (i = 0; i < KGRAFT_TARGET_CHAIN_LEN; i++, c++) {
			if (*c < '1' || *c > '9')
				return -EINVAL;
			chains[n] |= (u32)(*c - '0') << (8 * i);
		}
		n++;
		if (c < val + len && *c++ != ',')
			return -EINVAL;
	}
	mutex_lock(&kgraft_target_chains_mutex);
	WRITE_ONCE(kgraft_target_nr_chains, 0);
	for (i = 0; i < n; i++)
		WRITE_ONCE(kgraft_target_chains[i], chains[i]);
	/* Pairs with kgraft_target_consistent(): chains before their count. */
	smp_store_release(&kgraft_target_nr_chains, n);
	strscpy(kgraft_target_chains_str, val, len + 1);
	mutex_unlock(&kgraft_target_chains_mutex);
	return 0;
}

static int kgraft_target_chains_get(char *buf, const struct kernel_param *kp)
{
	int ret;

	mutex_lock(&kgraft_target_chains_mutex);
	ret = sysfs_emit(buf, "%s\n", kgraft_target_chains_str);
	mutex_unlock(&kgraft_target_chains_mutex);
	return ret;
}

static const struct kernel_param_ops kgraft_target_chains_ops = {
	.set = kgraft_target_chains_set,
	.get = kgraft_target_chains_get,
};
module_param_cb(chains, &kgraft_target_chains_ops, NULL, 0644);
MODULE_PARM_DESC(chains,
		 "consistent chains with different versions, e.g. 3331,2221");

static bool kgraft_target_consistent(const struct kgraft_target_call *c)
{
	/* Pairs with the release in kgraft_target_chains_set(). */
	unsigned int n = smp_load_acquire(&kgraft_target_nr_chains);
	u32 packed = 0;
	bool same = true;
	int i;

	for (i = 0; i < KGRAFT_TARGET_CHAIN_LEN; i++) {
		if (c->versions[i] != c->versions[0])
			same = false;
		packed |= (c->versions[i] & 0xff) << (8 * i);
	}
	if (same)
		return true;
	while (n--)
		if (READ_ONCE(kgraft_target_chains[n]) == packed)
			return true;
	return false;
}

static DECLARE_WAIT_QUEUE_HEAD(kgraft_target_naps);
static atomic_t kgraft_target_wakes;
static atomic_t kgraft_target_napping;

/* Uninterruptible, so fake signals do not end it; IOC_WAKE does. */
void kgraft_target_nap(unsigned int msecs)
{
	int gen = atomic_read(&kgraft_target_wakes);

	atomic_inc(&kgraft_target_napping);
	wait_event_timeout(kgraft_target_naps,
			   atomic_read(&kgraft_target_wakes) != gen,
			   msecs_to_jiffies(msecs));
	atomic_dec(&kgraft_target_napping);
}
EXPORT_SYMBOL_GPL(kgraft_target_nap);

/* noinline and global: each link keeps its own symbol and fentry site. */
noinline void kgraft_target_f4(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[3], KGRAFT_TARGET_VERSION);
}
EXPORT_SYMBOL_GPL(kgraft_target_f4);

noinline void kgraft_target_f3(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[2], KGRAFT_TARGET_VERSION);
	kgraft_target_f4(c);
}
EXPORT_SYMBOL_GPL(kgraft_target_f3);

noinline void kgraft_target_f2(struct kgraft_target_call *c)
{
	WRITE_ONCE(c->versions[1], KGRAFT_TARGET_VERSION);
	kgraft_target_f3(c);
}
EXPORT_SYMBOL_GPL(kgraft_target_f2);

/* Sleeps (uninterruptibly) inside the chain when asked, before f2. */
noinline void kgraft_target_f1(struct kgraft_target_call *c,
			       unsigned int sleep_ms)
{
	WRITE_ONCE(c->versions[0], KGRAFT_TARGET_VERSION);
	if (sleep_ms)
		kgraft_target_nap(sleep_ms);
	kgraft_target_f2(c);
}
EXPORT_SYMBOL_GPL(kgraft_target_f1);

/* noinline and global: the function a writer-path patch replaces. */
noinline ssize_t kgraft_target_write_file(const char *path, const char *value)
{
	struct file *f = filp_open(path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_write(f, value, strlen(value), &pos);
	filp_close(f, NULL);
	return ret;
}
EXPORT_SYMBOL_GPL(kgraft_target_write_file);

static void kgraft_target_run(struct kgraft_target_call *c,
			      unsigned int sleep_ms)
{
	memset(c, 0, sizeof(*c));
	kgraft_target_f1(c, sleep_ms);
	c->mixed = !kgraft_target_consistent(c);
}

/*
 * The life of a kgraft_target_obj: what a fix adding state to an object
 * replaces (kgraft_patch_shadow.ko attaches a shadow variable in init and
 * checks and frees it in release, which then returns 1). noipa: callers
 * must not use what this version does, or does not do (GCC drops a call
 * to an empty function and folds a constant return into the caller), as
 * any function a live patch may replace.
 */
#define kgraft_target_patchable __attribute__((__noipa__))

kgraft_target_patchable void kgraft_target_obj_init(struct kgraft_target_obj *o)
{
	/* Version 1 keeps no state beside the object. */
}
EXPORT_SYMBOL_GPL(kgraft_target_obj_init);

kgraft_target_patchable int kgraft_target_obj_release(struct kgraft_target_obj *o)
{
	return 0;
}
EXPORT_SYMBOL_GPL(kgraft_target_obj_release);

/*
 * Create @req->count objects (every other one with interrupts off, a
 * context where a patched function may only allocate atomically), then
 * release them all: @req->verified sums what release returned.
 */
static int kgraft_target_objects(struct kgraft_target_objects *req)
{
	struct kgraft_target_obj *objs;
	unsigned long flags;
	u64 i;

	if (!req->count || req->count > KGRAFT_TARGET_MAX_OBJECTS)
		return -EINVAL;
	objs = kvcalloc(req->count, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	for (i = 0; i < req->count; i++) {
		objs[i].id = i;
		if (i & 1) {
			local_irq_save(flags);
			kgraft_target_obj_init(&objs[i]);
			local_irq_restore(flags);
		} else {
			kgraft_target_obj_init(&objs[i]);
		}
		cond_resched();
	}
	req->verified = 0;
	for (i = 0; i < req->count; i++) {
		req->verified += kgraft_target_obj_release(&objs[i]);
		cond_resched();
	}
	kvfree(objs);
	return 0;
}

static struct task_struct *kgraft_target_thread;
static atomic64_t kthread_calls, kthread_mixed;
static u32 kthread_last[KGRAFT_TARGET_CHAIN_LEN];

static int kgraft_target_loop(void *unused)
{
	struct kgraft_target_call c;

	while (!kthread_should_stop()) {
		kgraft_target_run(&c, 0);
		memcpy(kthread_last, c.versions, sizeof(kthread_last));
		atomic64_inc(&kthread_calls);
		if (c.mixed)
			atomic64_inc(&kthread_mixed);
		usleep_range(500, 1000);
	}
	return 0;
}

static struct task_struct *kgraft_target_nosafe;

/*
 * Out of line, and neither call a tail call (the caller's frame would be
 * gone, and the call rightly a safe point): not made from the main function.
 */
static noinline bool kgraft_target_nosafe_wait(void)
{
	bool stop = kthread_should_stop();

	schedule_timeout_interruptible(HZ / 50);
	return stop;
}

static int kgraft_target_nosafe_fn(void *unused)
{
	while (!kgraft_target_nosafe_wait())
		;
	return 0;
}

static struct task_struct *busy_threads[KGRAFT_TARGET_MAX_BUSY];
static atomic64_t busy_calls, busy_mixed;

/*
 * CPU-bound: never sleeps. Like the kernel's own long loops it reports an
 * RCU Tasks quiescent state as it yields (cond_resched() alone is a
 * preemption, not one): without it synchronize_rcu_tasks(), which BPF
 * trampolines and ftrace wait for, never returns while it runs.
 */
static int kgraft_target_busy(void *unused)
{
	struct kgraft_target_call c;

	while (!kthread_should_stop()) {
		kgraft_target_run(&c, 0);
		atomic64_inc(&busy_calls);
		if (c.mixed)
			atomic64_inc(&busy_mixed);
		cond_resched_tasks_rcu_qs();
	}
	return 0;
}

static void kgraft_target_stop_busy(void)
{
	unsigned int i;

	for (i = 0; i < KGRAFT_TARGET_MAX_BUSY; i++) {
		if (busy_threads[i])
			kthread_stop(busy_threads[i]);
		busy_threads[i] = NULL;
	}
}

static int kgraft_target_start_busy(void)
{
	struct task_struct *t;
	unsigned int i;

	if (busy_kthreads > KGRAFT_TARGET_MAX_BUSY)
		return -EINVAL;
	for (i = 0; i < busy_kthreads; i++) {
		t = kthread_run(kgraft_target_busy, NULL,
				"kgraft_busy/%u", i);
		if (IS_ERR(t)) {
			kgraft_target_stop_busy();
			return PTR_ERR(t);
		}
		busy_threads[i] = t;
	}
	return 0;
}

/* The cost of one pass through the chain, without the syscall around it. */
static int kgraft_target_bench(struct kgraft_target_bench *b)
{
	struct kgraft_target_call c;
	u64 i, start;

	if (!b->loops || b->loops > KGRAFT_TARGET_MAX_BENCH_LOOPS)
		return -EINVAL;
	start = ktime_get_ns();
	for (i = 0; i < b->loops; i++) {
		kgraft_target_f1(&c, 0);
		if (!(i & 1023))
			cond_resched();
	}
	b->ns = ktime_get_ns() - start;
	return 0;
}

static long kgraft_target_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case KGRAFT_TARGET_IOC_CALL: {
		struct kgraft_target_call c;

		kgraft_target_run(&c, 0);
		return copy_to_user(uarg, &c, sizeof(c)) ? -EFAULT : 0;
	}
	case KGRAFT_TARGET_IOC_SLEEP: {
		struct kgraft_target_sleep s;

		if (copy_from_user(&s, uarg, sizeof(s)))
			return -EFAULT;
		if (s.msecs > KGRAFT_TARGET_MAX_SLEEP_MS)
			return -EINVAL;
		kgraft_target_run(&s.call, s.msecs);
		return copy_to_user(uarg, &s, sizeof(s)) ? -EFAULT : 0;
	}
	case KGRAFT_TARGET_IOC_BENCH: {
		struct kgraft_target_bench b;
		int ret;

		if (copy_from_user(&b, uarg, sizeof(b)))
			return -EFAULT;
		ret = kgraft_target_bench(&b);
		if (ret)
			return ret;
		return copy_to_user(uarg, &b, sizeof(b)) ? -EFAULT : 0;
	}
	case KGRAFT_TARGET_IOC_WRITE: {
		struct kgraft_target_write w;

		if (copy_from_user(&w, uarg, sizeof(w)))
			return -EFAULT;
		w.path[sizeof(w.path) - 1] = '\0';
		w.value[sizeof(w.value) - 1] = '\0';
		w.result = kgraft_target_write_file(w.path, w.value);
		return copy_to_user(uarg, &w, sizeof(w)) ? -EFAULT : 0;
	}
	case KGRAFT_TARGET_IOC_OBJECTS: {
		struct kgraft_target_objects o;
		int ret;

		if (copy_from_user(&o, uarg, sizeof(o)))
			return -EFAULT;
		ret = kgraft_target_objects(&o);
		if (ret)
			return ret;
		return copy_to_user(uarg, &o, sizeof(o)) ? -EFAULT : 0;
	}
	case KGRAFT_TARGET_IOC_WAKE:
		atomic_inc(&kgraft_target_wakes);
		wake_up_all(&kgraft_target_naps);
		return 0;
	case KGRAFT_TARGET_IOC_STATS: {
		struct kgraft_target_stats st = {};

		st.kthread_calls = atomic64_read(&kthread_calls);
		st.kthread_mixed = atomic64_read(&kthread_mixed);
		memcpy(st.kthread_last, kthread_last, sizeof(kthread_last));
		st.kthread_running = !!kgraft_target_thread;
		st.napping = atomic_read(&kgraft_target_napping);
		st.busy_calls = atomic64_read(&busy_calls);
		st.busy_mixed = atomic64_read(&busy_mixed);
		st.busy_running = busy_kthreads;
		return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
	}
	}
	return -ENOTTY;
}

static const struct file_operations kgraft_target_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = kgraft_target_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice kgraft_target_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kgraft_target",
	.fops = &kgraft_target_fops,
	.mode = 0600,
};

static int __init kgraft_target_init(void)
{
	int ret = misc_register(&kgraft_target_dev);

	if (ret)
		return ret;
	if (loop_kthread) {
		kgraft_target_thread = kthread_run(kgraft_target_loop, NULL,
						   "kgraft_target_loop");
		if (IS_ERR(kgraft_target_thread)) {
			ret = PTR_ERR(kgraft_target_thread);
			kgraft_target_thread = NULL;
			goto err_dev;
		}
	}
	if (nosafe_kthread) {
		kgraft_target_nosafe = kthread_run(kgraft_target_nosafe_fn,
						   NULL, "kgraft_nosafe");
		if (IS_ERR(kgraft_target_nosafe)) {
			ret = PTR_ERR(kgraft_target_nosafe);
			kgraft_target_nosafe = NULL;
			goto err_loop;
		}
	}
	ret = kgraft_target_start_busy();
	if (ret)
		goto err_nosafe;
	return 0;

err_nosafe:
	if (kgraft_target_nosafe)
		kthread_stop(kgraft_target_nosafe);
err_loop:
	if (kgraft_target_thread)
		kthread_stop(kgraft_target_thread);
err_dev:
	misc_deregister(&kgraft_target_dev);
	return ret;
}

static void __exit kgraft_target_exit(void)
{
	kgraft_target_stop_busy();
	if (kgraft_target_nosafe)
		kthread_stop(kgraft_target_nosafe);
	if (kgraft_target_thread)
		kthread_stop(kgraft_target_thread);
	misc_deregister(&kgraft_target_dev);
}

module_init(kgraft_target_init);
module_exit(kgraft_target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgraft test target: a versioned call chain");
