import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../auth/access.decorator';
import { AdapterRegistry } from '../providers/adapter-registry';
import { previewParts } from '../providers/media/picture-preview';
import { PictureStore } from '../providers/media/picture-store';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { GroupDirectory } from '../groups/group-directory.service';
import { LinkTracker } from '../links/link-tracker.service';
import { PostsService } from '../posts/posts.service';
import { PostPreviewDto } from './dto/funnel.dto';

@ApiTags('posts')
@ApiBearerAuth()
@ApiErrors(401, 403, 404, 429)
@AnyRole()
@Controller('v1/posts')
export class PostPreviewController {
  constructor(
    private readonly posts: PostsService,
    private readonly groups: GroupDirectory,
    private readonly links: LinkTracker,
    private readonly adapters: AdapterRegistry,
    private readonly pictures: PictureStore,
  ) {}

  /** What the post says (or said) to its group, exactly as it goes out: short links where its channel tracks links. */
  @Get(':id/preview')
  async preview(@UuidParam() id: string): Promise<PostPreviewDto> {
    const post = await this.posts.find(id);
    const { group, channel } = await this.groups.deliveryTarget(post.groupId);
    const trackLinks = channel.config.trackLinks === true && this.links.enabled;
    const { links, ...texts } = await this.links.texts(post, group, trackLinks);
    const message = { ...texts, id, group: { id: group.id, name: group.name }, stage: post.stage, dueAt: post.dueAt };
    const preview = await previewParts(this.adapters, channel, message, this.pictures);
    const { title, text, markdown, link } = texts;
    return { postId: id, channelType: channel.type, title, text, markdown, link, trackLinks, links, ...preview };
  }
}
