/* SPDX-License-Identifier: GPL-2.0 */
/* sched_lat.h - wakeup-to-run latency (sched_wakeup{,_new}, sched_switch). */
#ifndef KGRAFT_SCHED_LAT_H
#define KGRAFT_SCHED_LAT_H

#define SCHED_MAX_TGIDS	64

#endif
