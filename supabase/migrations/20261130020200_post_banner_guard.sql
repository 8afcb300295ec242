-- A banner's bytes are checked before it is shown: clients cannot point posts.post_banner at a file
-- themselves (that would skip the check); the post-media function sets it, as service_role, after
-- reading the image's first bytes. Clients may still clear their banner (set it to null). The
-- dashboard (postgres) is trusted and unaffected.
-- Objects: function private.refuse_client_set_banner; trigger posts_refuse_client_set_banner.

-- Invoker on purpose: current_user must be the API role of the request.
create function private.refuse_client_set_banner()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated')
    and new.post_banner is not null
    and (tg_op = 'INSERT' or new.post_banner is distinct from old.post_banner) then
    raise exception 'Upload the banner to the post-banners bucket and attach it with the post-media function, which checks the image.'
      using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.refuse_client_set_banner() is
  'Refuses a banner path written by a client directly; only the post-media function (service_role) sets one after its byte check.';
revoke execute on function private.refuse_client_set_banner() from public, anon;
grant execute on function private.refuse_client_set_banner() to authenticated, service_role;
create trigger posts_refuse_client_set_banner before insert or update of post_banner on public.posts
  for each row execute function private.refuse_client_set_banner();
