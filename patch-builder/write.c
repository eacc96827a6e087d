// SPDX-License-Identifier: GPL-2.0
/* The patch's object: what the diff kept, written with libelf. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patch-builder/write.h"

struct strtab {
	char *buf;
	size_t len, cap;
};

static size_t str_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, at = t->len;

	if (t->len + n > t->cap) {
		size_t cap = (t->cap + n) * 2;
		char *b = realloc(t->buf, cap);

		if (!b)
			return 0;
		t->buf = b;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	return at;
}

struct outsec {
	struct pb_section *src;
	const struct pb_special *sp;	/* entries kept, or NULL: whole */
	unsigned char *data;
	size_t size;
	GElf_Rela *relas;
	size_t nrelas;
	size_t symidx;			/* its STT_SECTION symbol */
};

struct writer {
	struct pb_diff *d;
	struct outsec *secs;		/* [0] unused */
	size_t nsecs;
	GElf_Sym *syms;
	size_t nsyms, cap;
	struct strtab str, shstr;
	char **externs;
	size_t *extern_idx;
	size_t nexterns;
	struct pb_written *out;
};

size_t pb_written_section(const struct pb_section *sec)
{
	return sec->out_index;
}

static size_t add_sym(struct writer *w, const char *name, unsigned char info,
		      size_t shndx, uint64_t value, uint64_t size)
{
	if (w->nsyms == w->cap) {
		GElf_Sym *s;

		w->cap = w->cap ? w->cap * 2 : 256;
		s = realloc(w->syms, w->cap * sizeof(*s));
		if (!s)
			return 0;
		w->syms = s;
	}
	w->syms[w->nsyms] = (GElf_Sym){
		.st_name = name ? (Elf64_Word)str_add(&w->str, name) : 0,
		.st_info = info,
		.st_shndx = (Elf64_Half)shndx,
		.st_value = value,
		.st_size = size,
	};
	return w->nsyms++;
}

/* The number of kept entries before entry @e. */
static size_t rank(const struct pb_section *sec, size_t e)
{
	size_t i, n = 0;

	for (i = 0; i < e; i++)
		n += sec->keep[i];
	return n;
}

static size_t kept_entries(const struct pb_section *sec, size_t entsize)
{
	return sec->keep ? rank(sec, sec->size / entsize) : 0;
}

static int add_outsec(struct writer *w, struct pb_section *src,
		      const struct pb_special *sp, const bool *keep)
{
	struct outsec *o;
	size_t i, n;

	o = realloc(w->secs, (w->nsecs + 1) * sizeof(*o));
	if (!o)
		return -ENOMEM;
	w->secs = o;
	o = &w->secs[w->nsecs];
	memset(o, 0, sizeof(*o));
	o->src = src;
	o->sp = sp;
	src->out_index = w->nsecs++;
	if (!sp) {
		o->size = src->size;
		if (src->data) {
			o->data = malloc(o->size ? o->size : 1);
			if (!o->data)
				return -ENOMEM;
			memcpy(o->data, src->data, o->size);
		}
		return 0;
	}
	n = src->size / sp->entsize;
	o->data = malloc(n * sp->entsize + 1);
	if (!o->data)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (keep[i]) {
			memcpy(o->data + o->size, src->data + i * sp->entsize,
			       sp->entsize);
			o->size += sp->entsize;
		}
	return 0;
}

static size_t extern_sym(struct writer *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nexterns; i++)
		if (!strcmp(w->externs[i], name))
			return w->extern_idx[i];
	return 0;
}

static int add_reloc(struct writer *w, size_t out_sec, uint64_t off,
		     const struct pb_kreloc *k)
{
	struct pb_out_reloc *r = realloc(w->out->relocs,
				(w->out->nrelocs + 1) * sizeof(*r));

	if (!r)
		return -ENOMEM;
	w->out->relocs = r;
	r[w->out->nrelocs++] = (struct pb_out_reloc){
		.out_sec = out_sec, .offset = off, .k = k,
	};
	return 0;
}

static const struct pb_kreloc *kreloc_at(struct pb_diff *d,
					 const struct pb_section *sec,
					 uint64_t off)
{
	size_t i;

	for (i = 0; i < d->nkrelocs; i++)
		if (d->krelocs[i].sec == sec && d->krelocs[i].offset == off)
			return &d->krelocs[i];
	return NULL;
}

/* One relocation into the output, or a kgraft relocation noted. */
static int emit_rela(struct writer *w, struct outsec *o, size_t out_sec,
		     const struct pb_rela *r, uint64_t off)
{
	struct pb_ref ref;
	GElf_Rela *nr;
	size_t sym;

	pb_diff_ref(w->d, r, &ref);
	switch (ref.kind) {
	case PB_REF_LOCAL:
		sym = w->secs[ref.sec->out_index].symidx;
		break;
	case PB_REF_EXTERN:
		sym = extern_sym(w, ref.name);
		break;
	case PB_REF_KGRAFT: {
		const struct pb_kreloc *k = kreloc_at(w->d, o->src, r->offset);

		return k ? add_reloc(w, out_sec, off, k) : -EINVAL;
	}
	default:
		return -EINVAL;
	}
	if (!sym)
		return -EINVAL;
	nr = realloc(o->relas, (o->nrelas + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	o->relas = nr;
	nr[o->nrelas++] = (GElf_Rela){
		.r_offset = off,
		.r_info = GELF_R_INFO(sym, r->type),
		.r_addend = ref.addend,
	};
	return 0;
}

static int collect_externs(struct writer *w)
{
	struct pb_object *a = w->d->after;
	size_t i, j;

	for (i = 1; i < a->nsecs; i++) {
		struct pb_section *sec = &a->secs[i];

		if (!sec->out_index)
			continue;
		for (j = 0; j < sec->nrelas; j++) {
			struct pb_ref ref;
			char **e;
			size_t *x;

			pb_diff_ref(w->d, &sec->relas[j], &ref);
			if (ref.kind != PB_REF_EXTERN || extern_sym(w, ref.name))
				continue;
			e = realloc(w->externs, (w->nexterns + 1) * sizeof(*e));
			x = realloc(w->extern_idx, (w->nexterns + 1) * sizeof(*x));
			if (e)
				w->externs = e;
			if (x)
				w->extern_idx = x;
			if (!e || !x)
				return -ENOMEM;
			w->externs[w->nexterns] = (char *)ref.name;
			w->extern_idx[w->nexterns] =
				add_sym(w, ref.name,
					GELF_ST_INFO(STB_GLOBAL, STT_NOTYPE),
					SHN_UNDEF, 0, 0);
			w->nexterns++;
		}
	}
	return 0;
}

static int build(struct writer *w, const char *prefix)
{
	struct pb_object *a = w->d->after;
	struct pb_section *orc_ip = NULL;
	size_t i, j;
	int ret;

	str_add(&w->str, "");	/* offset 0: the empty name */
	w->nsecs = 1;
	w->secs = calloc(1, sizeof(*w->secs));
	if (!w->secs)
		return -ENOMEM;
	for (i = 1; i < a->nsecs; i++)
		if (a->secs[i].include) {
			ret = add_outsec(w, &a->secs[i], NULL, NULL);
			if (ret)
				return ret;
		}
	for (i = 1; i < a->nsecs; i++) {
		struct pb_section *sec = &a->secs[i];
		const struct pb_special *sp = pb_special_find(sec->name);

		if (sec->include || !sp || !sp->keep || !sec->keep ||
		    !kept_entries(sec, sp->entsize))
			continue;
		ret = add_outsec(w, sec, sp, sec->keep);
		if (ret)
			return ret;
		if (!strcmp(sec->name, ".orc_unwind_ip"))
			orc_ip = sec;
	}
	if (orc_ip) {
		struct pb_section *orc = pb_section_by_name(a, ".orc_unwind");

		if (!orc || orc->size / 6 != orc_ip->size / 4)
			return -EINVAL;
		ret = add_outsec(w, orc, pb_special_find(".orc_unwind"),
				 orc_ip->keep);
		if (ret)
			return ret;
	}
	/* Symbols: locals (sections, then the carried functions and data),
	 * then globals (one alias per carried section, then externs). */
	add_sym(w, NULL, 0, SHN_UNDEF, 0, 0);
	for (i = 1; i < w->nsecs; i++)
		w->secs[i].symidx = add_sym(w, NULL,
				GELF_ST_INFO(STB_LOCAL, STT_SECTION), i, 0, 0);
	for (i = 1; i < a->nsyms; i++) {
		struct pb_symbol *s = &a->syms[i];

		if (!s->include || !s->sec || !s->sec->out_index ||
		    (pb_sym_type(s) != STT_FUNC && pb_sym_type(s) != STT_OBJECT))
			continue;
		s->out_index = add_sym(w, s->name,
				GELF_ST_INFO(STB_LOCAL, pb_sym_type(s)),
				s->sec->out_index, s->s.st_value, s->s.st_size);
	}
	w->out->nsections = w->nsecs - 1;
	for (i = 1; i < w->nsecs; i++) {
		char name[128];

		if (w->secs[i].sp)
			continue;
		snprintf(name, sizeof(name), "%ss%zu", prefix, i);
		add_sym(w, name, GELF_ST_INFO(STB_GLOBAL,
			pb_sec_is_text(w->secs[i].src) ? STT_FUNC : STT_OBJECT),
			i, 0, w->secs[i].size);
	}
	ret = collect_externs(w);
	if (ret)
		return ret;
	w->out->nexterns = w->nexterns;
	/* Relocations. */
	for (i = 1; i < w->nsecs; i++) {
		struct outsec *o = &w->secs[i];
		struct pb_section *src = o->src;

		for (j = 0; j < src->nrelas; j++) {
			const struct pb_rela *r = &src->relas[j];
			uint64_t off = r->offset;

			if (o->sp) {
				size_t e = r->offset / o->sp->entsize;

				if (!src->keep[e])
					continue;
				off = rank(src, e) * o->sp->entsize +
				      r->offset % o->sp->entsize;
			} else if (src->keep && !src->keep[r->offset]) {
				continue;	/* unused alternative bytes */
			}
			ret = emit_rela(w, o, i, r, off);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* A string table as a section of its own (.strtab, .shstrtab). */
static Elf_Scn *strtab_section(Elf *elf, struct strtab *t, size_t name)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *data = elf_newdata(scn);
	GElf_Shdr sh;

	data->d_buf = t->buf;
	data->d_size = t->len;
	data->d_type = ELF_T_BYTE;
	data->d_align = 1;
	gelf_getshdr(scn, &sh);
	sh.sh_name = (Elf64_Word)name;
	sh.sh_type = SHT_STRTAB;
	sh.sh_addralign = 1;
	gelf_update_shdr(scn, &sh);
	return scn;
}

static int write_elf(struct writer *w, const char *path, char *err,
		     size_t errlen)
{
	size_t i, symtab_idx, nlocal = 0;
	Elf_Scn *scn;
	Elf_Data *data;
	GElf_Shdr sh;
	GElf_Ehdr eh;
	Elf *elf;
	int fd, ret = -EIO;
	size_t *rela_name, strtab_name, symtab_name, shstr_name;
	void **bufs = calloc(w->nsecs + 1, sizeof(*bufs));
	size_t nbufs = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	rela_name = calloc(w->nsecs, sizeof(*rela_name));
	if (!elf || !rela_name || !gelf_newehdr(elf, ELFCLASS64))
		goto out;
	gelf_getehdr(elf, &eh);
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_REL;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	str_add(&w->shstr, "");
	for (i = 1; i < w->nsecs; i++) {
		struct outsec *o = &w->secs[i];
		char rn[512];

		scn = elf_newscn(elf);
		gelf_getshdr(scn, &sh);
		sh = o->src->sh;
		sh.sh_name = (Elf64_Word)str_add(&w->shstr, o->src->name);
		sh.sh_size = o->size;
		sh.sh_link = 0;
		sh.sh_info = 0;
		sh.sh_offset = 0;
		sh.sh_addr = 0;
		sh.sh_flags &= ~(uint64_t)SHF_GROUP;
		data = elf_newdata(scn);
		data->d_buf = o->src->sh.sh_type == SHT_NOBITS ? NULL : o->data;
		data->d_size = o->size;
		data->d_align = o->src->sh.sh_addralign ? o->src->sh.sh_addralign : 1;
		data->d_type = ELF_T_BYTE;
		gelf_update_shdr(scn, &sh);
		snprintf(rn, sizeof(rn), ".rela%s", o->src->name);
		rela_name[i] = str_add(&w->shstr, rn);
	}
	symtab_idx = w->nsecs;
	for (i = 1; i < w->nsecs; i++)
		if (w->secs[i].nrelas)
			symtab_idx++;
	/* .rela sections, then .symtab, .strtab, .shstrtab. */
	for (i = 1; i < w->nsecs; i++) {
		struct outsec *o = &w->secs[i];
		size_t j;

		if (!o->nrelas)
			continue;
		scn = elf_newscn(elf);
		data = elf_newdata(scn);
		data->d_type = ELF_T_RELA;
		data->d_size = o->nrelas * sizeof(Elf64_Rela);
		data->d_buf = calloc(o->nrelas, sizeof(Elf64_Rela));
		if (!data->d_buf || !bufs)
			goto out;
		bufs[nbufs++] = data->d_buf;
		data->d_align = 8;
		for (j = 0; j < o->nrelas; j++)
			gelf_update_rela(data, (int)j, &o->relas[j]);
		gelf_getshdr(scn, &sh);
		sh.sh_name = (Elf64_Word)rela_name[i];
		sh.sh_type = SHT_RELA;
		sh.sh_flags = SHF_INFO_LINK;
		sh.sh_entsize = sizeof(Elf64_Rela);
		sh.sh_link = (Elf64_Word)symtab_idx;
		sh.sh_info = (Elf64_Word)i;
		sh.sh_addralign = 8;
		gelf_update_shdr(scn, &sh);
	}
	symtab_name = str_add(&w->shstr, ".symtab");
	strtab_name = str_add(&w->shstr, ".strtab");
	shstr_name = str_add(&w->shstr, ".shstrtab");
	scn = elf_newscn(elf);
	data = elf_newdata(scn);
	data->d_type = ELF_T_SYM;
	data->d_size = w->nsyms * sizeof(Elf64_Sym);
	data->d_buf = calloc(w->nsyms, sizeof(Elf64_Sym));
	if (!data->d_buf)
		goto out;
	bufs[nbufs++] = data->d_buf;
	data->d_align = 8;
	for (i = 0; i < w->nsyms; i++) {
		gelf_update_sym(data, (int)i, &w->syms[i]);
		if (GELF_ST_BIND(w->syms[i].st_info) == STB_LOCAL)
			nlocal = i + 1;
	}
	gelf_getshdr(scn, &sh);
	sh.sh_name = (Elf64_Word)symtab_name;
	sh.sh_type = SHT_SYMTAB;
	sh.sh_entsize = sizeof(Elf64_Sym);
	sh.sh_link = (Elf64_Word)(symtab_idx + 1);
	sh.sh_info = (Elf64_Word)nlocal;
	sh.sh_addralign = 8;
	gelf_update_shdr(scn, &sh);
	strtab_section(elf, &w->str, strtab_name);
	scn = strtab_section(elf, &w->shstr, shstr_name);
	eh.e_shstrndx = (Elf64_Half)elf_ndxscn(scn);
	gelf_update_ehdr(elf, &eh);
	if (elf_update(elf, ELF_C_WRITE) < 0) {
		snprintf(err, errlen, "%s: %s", path, elf_errmsg(-1));
		goto out;
	}
	ret = 0;
out:
	if (ret && !*err)
		snprintf(err, errlen, "%s: %s", path, elf_errmsg(-1));
	if (elf)
		elf_end(elf);
	close(fd);
	free(rela_name);
	while (bufs && nbufs)
		free(bufs[--nbufs]);
	free(bufs);
	return ret;
}

int pb_write_object(struct pb_diff *d, const char *path, const char *prefix,
		    struct pb_written *out, char *err, size_t errlen)
{
	struct writer w = { .d = d, .out = out };
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	elf_version(EV_CURRENT);
	ret = build(&w, prefix);
	if (ret)
		snprintf(err, errlen, "%s: cannot lay out the patch object: %s",
			 path, strerror(-ret));
	else
		ret = write_elf(&w, path, err, errlen);
	for (i = 1; i < w.nsecs; i++) {
		free(w.secs[i].data);
		free(w.secs[i].relas);
	}
	free(w.secs);
	free(w.syms);
	free(w.str.buf);
	free(w.shstr.buf);
	free(w.externs);
	free(w.extern_idx);
	return ret;
}
