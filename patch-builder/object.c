// SPDX-License-Identifier: GPL-2.0
/* Reading a relocatable object into sections, relocations and symbols. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patch-builder/object.h"

unsigned int pb_rela_width(uint32_t type)
{
	switch (type) {
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		return 4;
	default:
		return 0;
	}
}

/*
 * A PC-relative field sits at the end of its instruction, so the compiler's
 * addend is the target minus the field's width: add it back to get the
 * offset in the target that the instruction means (kpatch does the same).
 */
int64_t pb_rela_target_offset(const struct pb_rela *r, const struct pb_symbol *to)
{
	int64_t off = r->addend;

	if (to && pb_sym_type(to) == STT_SECTION &&
	    (r->type == R_X86_64_PC32 || r->type == R_X86_64_PLT32))
		off += 4;
	return off;
}

static int cmp_rela(const void *a, const void *b)
{
	const struct pb_rela *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int read_relas(struct pb_object *o, Elf_Scn *scn, const GElf_Shdr *sh,
		      char *err, size_t errlen)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	struct pb_section *target;
	size_t i, n;

	if (sh->sh_info >= o->nsecs || !d) {
		snprintf(err, errlen, "%s: a relocation section without target",
			 o->path);
		return -EINVAL;
	}
	target = &o->secs[sh->sh_info];
	n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	target->relas = calloc(n ? n : 1, sizeof(*target->relas));
	if (!target->relas)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		GElf_Rela r;

		if (!gelf_getrela(d, (int)i, &r))
			return -EINVAL;
		target->relas[i].offset = r.r_offset;
		target->relas[i].type = (uint32_t)GELF_R_TYPE(r.r_info);
		target->relas[i].addend = r.r_addend;
		target->relas[i].sym = GELF_R_SYM(r.r_info);
		if (target->relas[i].sym >= o->nsyms) {
			snprintf(err, errlen, "%s: relocation to symbol %zu of %zu",
				 o->path, target->relas[i].sym, o->nsyms);
			return -EINVAL;
		}
	}
	target->nrelas = n;
	qsort(target->relas, n, sizeof(*target->relas), cmp_rela);
	return 0;
}

static int read_symbols(struct pb_object *o, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t i;

	if (!d)
		return -EINVAL;
	o->nsyms = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	o->syms = calloc(o->nsyms ? o->nsyms : 1, sizeof(*o->syms));
	if (!o->syms)
		return -ENOMEM;
	for (i = 0; i < o->nsyms; i++) {
		struct pb_symbol *s = &o->syms[i];

		if (!gelf_getsym(d, (int)i, &s->s))
			return -EINVAL;
		s->index = i;
		s->name = elf_strptr(o->elf, sh->sh_link, s->s.st_name);
		if (!s->name)
			s->name = "";
		if (s->s.st_shndx != SHN_UNDEF && s->s.st_shndx < o->nsecs)
			s->sec = &o->secs[s->s.st_shndx];
	}
	return 0;
}

/* foo.cold is part of foo: gcc moved foo's unlikely code out of line. */
static void link_symbols(struct pb_object *o)
{
	size_t i;

	for (i = 0; i < o->nsyms; i++) {
		struct pb_symbol *s = &o->syms[i];
		const char *dot;

		if (!s->sec)
			continue;
		if (pb_sym_type(s) == STT_SECTION) {
			s->sec->secsym = s;
			continue;
		}
		if ((pb_sym_type(s) == STT_FUNC ||
		     pb_sym_type(s) == STT_OBJECT) && s->s.st_value == 0 &&
		    (!s->sec->sym || pb_sym_bind(s->sec->sym) == STB_LOCAL))
			s->sec->sym = s;
		dot = strstr(s->name, ".cold");
		if (pb_sym_type(s) == STT_FUNC && dot) {
			char parent[512];

			snprintf(parent, sizeof(parent), "%.*s",
				 (int)(dot - s->name), s->name);
			s->parent = pb_symbol_by_name(o, parent);
		}
	}
}

int pb_object_open(struct pb_object *o, const char *path, char *err,
		   size_t errlen)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	int ret = -EINVAL;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	elf_version(EV_CURRENT);
	o->path = strdup(path);
	o->fd = open(path, O_RDONLY);
	if (o->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	o->elf = elf_begin(o->fd, ELF_C_READ, NULL);
	if (!o->elf || !gelf_getehdr(o->elf, &eh) || eh.e_type != ET_REL ||
	    eh.e_machine != EM_X86_64) {
		snprintf(err, errlen, "%s: not an x86-64 relocatable object",
			 path);
		goto fail;
	}
	if (elf_getshdrnum(o->elf, &o->nsecs) || elf_getshdrstrndx(o->elf, &shstrndx))
		goto fail;
	o->secs = calloc(o->nsecs, sizeof(*o->secs));
	if (!o->secs) {
		ret = -ENOMEM;
		goto fail;
	}
	while ((scn = elf_nextscn(o->elf, scn))) {
		struct pb_section *sec = &o->secs[elf_ndxscn(scn)];
		Elf_Data *d;

		gelf_getshdr(scn, &sec->sh);
		sec->index = elf_ndxscn(scn);
		sec->name = elf_strptr(o->elf, shstrndx, sec->sh.sh_name);
		if (!sec->name)
			sec->name = "";
		sec->size = sec->sh.sh_size;
		if (sec->sh.sh_type != SHT_NOBITS && (d = elf_getdata(scn, NULL)))
			sec->data = d->d_buf;
		if (sec->sh.sh_type == SHT_SYMTAB) {
			ret = read_symbols(o, scn, &sec->sh);
			if (ret)
				goto fail;
		}
	}
	o->secs[0].name = "";
	if (!o->syms) {
		snprintf(err, errlen, "%s: no symbol table", path);
		goto fail;
	}
	scn = NULL;
	while ((scn = elf_nextscn(o->elf, scn))) {
		GElf_Shdr sh;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type == SHT_REL) {
			snprintf(err, errlen, "%s: SHT_REL relocations", path);
			goto fail;
		}
		if (sh.sh_type == SHT_RELA) {
			ret = read_relas(o, scn, &sh, err, errlen);
			if (ret)
				goto fail;
		}
	}
	link_symbols(o);
	return 0;
fail:
	if (!*err)
		snprintf(err, errlen, "%s: %s", path, elf_errmsg(-1));
	pb_object_close(o);
	return ret;
}

void pb_object_close(struct pb_object *o)
{
	size_t i;

	for (i = 0; o->secs && i < o->nsecs; i++) {
		free(o->secs[i].relas);
		free(o->secs[i].keep);
	}
	free(o->secs);
	free(o->syms);
	if (o->elf)
		elf_end(o->elf);
	if (o->fd >= 0)
		close(o->fd);
	free(o->path);
	memset(o, 0, sizeof(*o));
	o->fd = -1;
}

struct pb_section *pb_section_by_name(struct pb_object *o, const char *name)
{
	size_t i;

	for (i = 1; i < o->nsecs; i++)
		if (!strcmp(o->secs[i].name, name))
			return &o->secs[i];
	return NULL;
}

struct pb_symbol *pb_symbol_by_name(struct pb_object *o, const char *name)
{
	size_t i;

	for (i = 1; i < o->nsyms; i++)
		if (pb_sym_type(&o->syms[i]) != STT_SECTION &&
		    pb_sym_type(&o->syms[i]) != STT_FILE &&
		    !strcmp(o->syms[i].name, name))
			return &o->syms[i];
	return NULL;
}

struct pb_symbol *pb_symbol_at(struct pb_object *o, struct pb_section *sec,
			       uint64_t offset)
{
	struct pb_symbol *best = NULL, *ends = NULL;
	int64_t off = (int64_t)offset;
	size_t i;

	/* An instruction with an immediate after its RIP-relative operand
	 * (cmpb $0, x(%rip)) makes the offset a few bytes short of x. */
	if (off < 0 && off >= -4)
		off = 0;
	for (i = 1; i < o->nsyms; i++) {
		struct pb_symbol *s = &o->syms[i];
		int64_t v = (int64_t)s->s.st_value, z = (int64_t)s->s.st_size;

		if (s->sec != sec || (pb_sym_type(s) != STT_FUNC &&
				      pb_sym_type(s) != STT_OBJECT))
			continue;
		if (off >= v && (off < v + z || (!z && off == v))) {
			if (!best || pb_sym_bind(best) == STB_LOCAL)
				best = s;
		} else if (z && off == v + z) {
			ends = s;	/* one past its end: a loop's bound */
		}
	}
	return best ? best : ends;
}
